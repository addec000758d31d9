# Oracle values for the cluster-aware numbers added to ftgate's gate and
# stats packages, computed the plain R way.
# Rscript make_oracle_cluster.R   (writes oracle_cluster.csv; see README.md)
# Every number comes from base R (pt/qt, pnorm/qnorm, tapply, matrix algebra)
# or from clubSandwich, written out here from the cited papers, not from the
# Go code.
options(digits = 17)
out <- list()
put <- function(dataset, quantity, param, value) {
  out[[length(out) + 1]] <<- data.frame(dataset = dataset, quantity = quantity,
                                        param = as.character(param), value = value)
}
fmt <- function(x) ifelse(is.na(x), "NA", ifelse(is.infinite(x),
                  ifelse(x > 0, "Inf", "-Inf"), trimws(formatC(x, digits = 17, format = "g"))))
za <- qnorm(0.95); zb <- qnorm(0.9)

# Per-case means of an oracle dataset, in case order.
cases <- function(s) {
  cs <- aggregate(cbind(acc_b, acc_c, cost_b, cost_c) ~ case + cluster, data = s, FUN = mean)
  cs[order(cs$case), ]
}

# ---- schema-valid rate: Wilson at the effective sample size ----------------
# Kish's design effect of a proportion over clusters, V_cluster / (p(1-p)/N),
# floored at 1; Wilson's interval with (N/deff)(z/t_{G-1})^2 trials (one unit
# per cluster when p is 0 or 1, before the factor; Korn & Graubard 1998). The oracle datasets get a schema_valid flag that goes
# with the cluster: the baseline's sample is invalid in clusters 0 mod 5
# unless it is sample 1, the candidate's when case mod 3 = 0.
wilson <- function(x, n, level) {
  z <- qnorm((1 + level) / 2); p <- x / n
  centre <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  half <- z / (1 + z^2 / n) * sqrt(p * (1 - p) / n + z^2 / (4 * n^2))
  c(max(0, centre - half), min(1, centre + half))
}
wilson_clustered <- function(x, cl, level) {
  N <- length(x); G <- length(unique(cl)); p <- mean(x)
  if (G == N) return(c(p, 1, wilson(sum(x), N, level)))
  if (p == 0 || p == 1) { neff <- G } else {
    V <- G / (G - 1) * sum(tapply(x - p, cl, sum)^2) / N^2
    neff <- N / max(1, V / (p * (1 - p) / N))
  }
  deff <- N / neff
  # Korn & Graubard's degrees-of-freedom adjustment: (z / t_{G-1})^2
  neff <- neff * (qnorm((1 + level) / 2) / qt((1 + level) / 2, G - 1))^2
  c(p, deff, wilson(p * neff, neff, level))
}
for (name in c("single", "clustered")) {
  s <- read.csv(paste0(name, ".csv"))
  vb <- as.numeric(s$cluster %% 5 != 0 | s$sample == 1)
  # the unit of clustering is the cluster field (each case has one)
  w <- wilson_clustered(vb, s$cluster, 0.9)
  put(name, "valid_b_rate", "", w[1]); put(name, "valid_b_deff", "", w[2])
  put(name, "valid_b_lo", "", w[3]); put(name, "valid_b_hi", "", w[4])
  vc <- as.numeric(s$case %% 3 != 0)
  put(name, "valid_c_rate", "", mean(vc))
}
# small hand cases for stats.WilsonClustered
hand <- list(
  a = list(x = c(1, 1, 0, 1, 1, 1, 0, 0, 1, 1), cl = c(0, 0, 0, 1, 1, 2, 2, 2, 3, 3)),
  b = list(x = c(1, 1, 1, 1, 1, 1), cl = c(0, 0, 1, 1, 2, 2)),
  c = list(x = c(1, 0, 1, 0, 1, 0, 1, 1), cl = c(0, 0, 1, 1, 2, 2, 3, 3)),
  d = list(x = c(1, 0, 1, 1, 0), cl = c(0, 1, 2, 3, 4)))
for (k in names(hand)) {
  w <- wilson_clustered(hand[[k]]$x, hand[[k]]$cl, 0.9)
  put("wilson_clustered", "rate", k, w[1]); put("wilson_clustered", "deff", k, w[2])
  put("wilson_clustered", "lo", k, w[3]); put("wilson_clustered", "hi", k, w[4])
}

# ---- power plans ---------------------------------------------------------------
# Cost: n = (z_.95 + z_.9)^2 v / log(r / rho)^2 with v = n se^2 of the delta
# method's log ratio (influence values, cluster totals, G/(G-1)); rho = 0.9 r.
delta_v <- function(cb, ab, cc, ac, cl) {
  n <- length(cb); G <- length(unique(cl))
  IF <- (cc / mean(cc) - ac / mean(ac)) - (cb / mean(cb) - ab / mean(ab))
  G / (G - 1) * sum(tapply(IF, cl, sum)^2) / n
}
for (name in c("single", "clustered")) {
  cs <- cases(read.csv(paste0(name, ".csv"))); n <- nrow(cs)
  v <- delta_v(cs$cost_b, cs$acc_b, cs$cost_c, cs$acc_c, cs$cluster)
  put(name, "cost_plan_v", "", v)
  for (r in c(1, 0.8)) {
    need <- ceiling((za + zb)^2 * v / log(r / (0.9 * r))^2)
    put(name, "cost_plan_n", r, need); put(name, "cost_plan_more", r, max(0, need - n))
  }
  # Without a candidate: the baseline against a constant arm, doubled.
  vb <- 2 * delta_v(rep(1, n), rep(1, n), cs$cost_b, cs$acc_b, cs$cluster)
  put(name, "base_plan_cost_v", "", vb)
  put(name, "base_plan_cost_n", "", ceiling((za + zb)^2 * vb / log(1 / 0.9)^2))
  # Quality without a candidate, per case (clustered data): the variance of
  # a_C - a_B for independent arms and the design effect of a_B.
  if (name == "clustered") {
    a <- cs$acc_b; pB <- mean(a); eff <- 0.05; pC <- pB + eff
    G <- length(unique(cs$cluster))
    se2 <- G / (G - 1) * sum(tapply(a - pB, cs$cluster, sum)^2) / n^2
    deff <- se2 * n / var(a)
    s2 <- var(a) * (1 + pC * (1 - pC) / (pB * (1 - pB)))
    put(name, "base_plan_sigma2", "", s2); put(name, "base_plan_deff", "", deff)
    put(name, "base_plan_n", "", ceiling((za + zb)^2 * s2 * deff / eff^2))
  }
}

# stats.RatioN and RatioPower by the formula
for (v in c(0.5, 2.3)) for (rho in c(0.6, 0.9)) for (r in c(1, 0.8)) {
  if (rho >= r) next
  key <- paste(v, rho, r, 0.05, 0.9, sep = ":")
  put("power", "ratio_n", key, (za + zb)^2 * v / log(r / rho)^2)
  put("power", "ratio_power", paste(v, rho, r, 150, 0.05, sep = ":"), pnorm(log(r / rho) * sqrt(150 / v) - za))
}

# ---- small-sample clustered tests of a mean difference -------------------------
# CR2 (Bell-McCaffrey) with Satterthwaite degrees of freedom, from clubSandwich
# (coef_test on lm(d ~ 1)), and the restricted wild cluster bootstrap of the
# clustered t statistic (CR1 standard error, G/(G-1)) with Webb's six-point
# weights: exactly over all 6^G weight vectors for small G, else 10^6 draws.
suppressMessages(library(clubSandwich))
cr2 <- function(d, cl, m, level) {
  fit <- lm(I(d - m) ~ 1)
  ct <- coef_test(fit, vcov = "CR2", cluster = cl, test = "Satterthwaite")
  se <- ct$SE; df <- ct$df_Satt; t <- ct$tstat
  q <- qt((1 + level) / 2, df)
  list(se = se, df = df, t = t, p_upper = pt(t, df, lower.tail = FALSE), p_lower = pt(t, df),
       lo = mean(d) - q * se, hi = mean(d) + q * se)
}
webb <- c(-sqrt(1.5), -1, -sqrt(0.5), sqrt(0.5), 1, sqrt(1.5))
wild_t <- function(W, U, ng, n) {
  # rows of W are weight vectors; t* for each
  G <- length(U)
  s <- as.vector(W %*% U); mean <- s / n
  D <- sweep(W, 2, U, "*") - outer(mean, ng)
  se <- sqrt(G / (G - 1) * rowSums(D^2)) / n
  mean / se
}
wild <- function(d, cl, m, B = 1e6, seed = 1) {
  cl <- as.integer(factor(cl)); n <- length(d); G <- max(cl)
  U <- as.vector(tapply(d - m, cl, sum)); ng <- as.vector(table(cl))
  t0 <- wild_t(matrix(1, 1, G), U, ng, n)
  tol <- 1e-12 * max(1, abs(t0))
  if (6^G <= 1e5) {
    W <- as.matrix(expand.grid(rep(list(webb), G)))
    ts <- wild_t(W, U, ng, n)
    return(c(mean(ts >= t0 - tol), mean(ts <= t0 + tol), 6^G))
  }
  set.seed(seed); up <- 0; down <- 0; done <- 0
  while (done < B) {
    k <- min(1e5, B - done)
    W <- matrix(sample(webb, k * G, replace = TRUE), k, G)
    ts <- wild_t(W, U, ng, n)
    up <- up + sum(ts >= t0 - tol); down <- down + sum(ts <= t0 + tol); done <- done + k
  }
  c((1 + up) / (1 + B), (1 + down) / (1 + B), B)
}
# hand datasets for stats: unbalanced clusters (the first holds half)
small <- list(
  u4 = list(d = c(1, 0, 1, 1, 0, 1, -1, 0, 1, 0.5, 0.5, 0), cl = c(0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 3, 3)),
  u3 = list(d = c(0.5, 1, 0, 1, 0, -0.5, 1), cl = c(0, 0, 0, 0, 1, 1, 2)),
  b8 = list(d = c(1, 0, 0, 1, -1, 0, 1, 1, 0, 0, 1, 0, 0, -1, 1, 1), cl = rep(0:7, each = 2)))
for (k in names(small)) {
  x <- small[[k]]
  for (m in c(0, 0.1)) {
    r <- cr2(x$d, x$cl, m, 0.9)
    for (q in names(r)) put("cr2", q, paste(k, m, sep = ":"), r[[q]])
    w <- wild(x$d, x$cl, m)
    put("wild", "p_upper", paste(k, m, sep = ":"), w[1]); put("wild", "p_lower", paste(k, m, sep = ":"), w[2])
    put("wild", "draws", paste(k, m, sep = ":"), w[3])
  }
}
# the gate on the "clustered" dataset: quality (m = 0, -0.05) and the
# segments' lower-tail tests (drop 0, 0.05; also with the arms swapped),
# workflows by cluster mod 3 as in make_oracle.R.
cs <- cases(read.csv("clustered.csv")); d <- cs$acc_c - cs$acc_b
wf <- c("alpha", "beta", "gamma")[cs$cluster %% 3 + 1]
for (m in c(0, -0.05)) {
  r <- cr2(d, cs$cluster, m, 0.9)
  for (q in names(r)) put("clustered", paste0("gate_cr2_", q), m, r[[q]])
  w <- wild(d, cs$cluster, m)
  put("clustered", "gate_wild_p_upper", m, w[1])
}
for (swap in c(FALSE, TRUE)) {
  dd <- if (swap) -d else d
  tag <- if (swap) "gate_swap_seg" else "gate_seg"
  for (drop in c(0, 0.05)) {
    # the gate's p-value: the larger of CR2's and the wild bootstrap's
    p <- sapply(c("alpha", "beta", "gamma"), function(w) {
      k <- wf == w; key <- paste(w, drop, sep = ":")
      pc <- cr2(dd[k], cs$cluster[k], -drop, 0.9)$p_lower
      pw <- wild(dd[k], cs$cluster[k], -drop)[2]
      put("clustered", paste0(tag, "_cr2_p"), key, pc)
      put("clustered", paste0(tag, "_wild_p"), key, pw)
      max(pc, pw)
    })
    # the CR2 interval at the level Holm's step-down tested each workflow
    # (as in make_oracle.R)
    k <- length(p); o <- order(p); j <- seq_len(k)
    rejected <- p[o] <= 0.05 / (k - j + 1)
    j0 <- if (all(rejected)) k + 1 else which(!rejected)[1]
    lev <- numeric(k); lev[o] <- 0.05 / (k - pmin(j, j0) + 1); names(lev) <- names(p)
    for (w in names(p)) {
      kk <- wf == w; key <- paste(w, drop, sep = ":"); level <- 1 - 2 * lev[[w]]
      r <- cr2(dd[kk], cs$cluster[kk], -drop, level)
      put("clustered", paste0(tag, "_cr2_level"), key, level)
      put("clustered", paste0(tag, "_cr2_lo"), key, r$lo); put("clustered", paste0(tag, "_cr2_hi"), key, r$hi)
    }
  }
}
# ---- tiers: each arm's acceptance with its interval ---------------------------
# Wilson's interval when every case has one sample and no cluster holds
# several cases, else the CR1 clustered t interval of the per-case
# acceptance (G - 1 df), clamped to [0, 1]; level 0.9.
for (name in c("single", "clustered")) {
  s <- read.csv(paste0(name, ".csv")); cs <- cases(s)
  single <- all(table(s$case) == 1) && length(unique(cs$cluster)) == nrow(cs)
  for (arm in c("b", "c")) {
    a <- cs[[paste0("acc_", arm)]]
    ci <- if (single) wilson(sum(a), length(a), 0.9) else {
      n <- length(a); G <- length(unique(cs$cluster))
      se <- sqrt(G / (G - 1) * sum(tapply(a - mean(a), cs$cluster, sum)^2)) / n
      q <- qt(0.95, G - 1); c(max(0, mean(a) - q * se), min(1, mean(a) + q * se))
    }
    put(name, paste0("tier_quality_", arm, "_lo"), "", ci[1]); put(name, paste0("tier_quality_", arm, "_hi"), "", ci[2])
  }
}

# Student t at the non-integer degrees of freedom Satterthwaite gives
for (df in c(1, 1.5517241379310354, 2.2727272727272725, 3.7, 7, 24.415952533965289, 59, 1000)) {
  for (p in c(0.0005, 0.05, 0.5, 0.9, 0.95, 0.995)) put("student_t", "qt", paste(df, p, sep = ":"), qt(p, df))
  for (x in c(-3.2, -0.4, 0.91166343568626229, 2.5526576199215327, 12)) put("student_t", "pt", paste(df, x, sep = ":"), pt(x, df))
}

# effective number of clusters (Carter, Schnepel & Steigerwald 2017, rho = 1)
geff <- function(cl) { g <- as.vector(table(cl))^2; G <- length(g); G / (1 + mean((g - mean(g))^2) / mean(g)^2) }
put("clustered", "effective_clusters", "", geff(cs$cluster))
for (k in names(small)) put("effective_clusters", "g", k, geff(small[[k]]$cl))

res <- do.call(rbind, out)
res$value <- fmt(res$value)
con <- file("oracle_cluster.csv", "w")
writeLines(c(paste("#", R.version.string, "- clubSandwich", as.character(packageVersion("clubSandwich"))),
             "# generated by make_oracle_cluster.R; columns: dataset,quantity,param,value"), con)
write.csv(res, con, row.names = FALSE, quote = FALSE)
close(con)
