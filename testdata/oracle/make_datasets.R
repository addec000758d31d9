# Generates the small input datasets of the oracle suite (run once; the CSV
# files are committed). Rscript make_datasets.R
# Columns: case, cluster, sample, acc_b, acc_c, cost_b, cost_c, lat_b, lat_c
# (one row per sample; cluster == case when the data are unclustered).
set.seed(20240611)

gen <- function(sizes, K, pb, pc, corr = 0.6) {
  rows <- list(); case <- 0
  for (g in seq_along(sizes)) {
    ug <- rnorm(1, 0, 0.8)              # cluster effect on acceptance
    cg <- exp(rnorm(1, 0, 0.4))         # cluster effect on cost
    for (j in seq_len(sizes[g])) {
      case <- case + 1
      lb <- qlogis(pb) + ug; lc <- qlogis(pc) + ug
      for (k in seq_len(K)) {
        u <- runif(1); v <- if (runif(1) < corr) u else runif(1)
        rows[[length(rows) + 1]] <- data.frame(
          case = case, cluster = g - 1, sample = k,
          acc_b = as.integer(u < plogis(lb)), acc_c = as.integer(v < plogis(lc)),
          cost_b = round(cg * 0.0020 * exp(rnorm(1, 0, 0.5)), 6),
          cost_c = round(cg * 0.0015 * exp(rnorm(1, 0, 0.5)), 6),
          lat_b = round(exp(rnorm(1, log(800), 0.4)), 1),
          lat_c = round(exp(rnorm(1, log(650), 0.5)), 1))
      }
    }
  }
  do.call(rbind, rows)
}

single <- gen(rep(1, 80), 1, 0.60, 0.70)
single$cluster <- single$case - 1
write.csv(single, "single.csv", row.names = FALSE, quote = FALSE)

clustered <- gen(sample(1:4, 30, replace = TRUE), 3, 0.55, 0.62)
write.csv(clustered, "clustered.csv", row.names = FALSE, quote = FALSE)

zero <- gen(rep(1, 25), 1, 0.5, 0.5, corr = 1)
zero$cluster <- zero$case - 1
zero$acc_c <- zero$acc_b                 # every pair concordant: b = c = 0
write.csv(zero, "zero_discordant.csv", row.names = FALSE, quote = FALSE)

small <- gen(rep(1, 6), 1, 0.5, 0.7, corr = 0.3)
small$cluster <- small$case - 1
write.csv(small, "small.csv", row.names = FALSE, quote = FALSE)
