# Oracle values for ftgate's stats package, computed the plain R way.
# Rscript make_oracle.R   (writes oracle_r.csv; see README.md)
# Every number here comes from base R (binom.test, p.adjust, quantile, pt/qt,
# pnorm/qnorm, uniroot, optimize, t.test) or from formulas written out below directly
# from the cited papers, not from the Go code.
options(digits = 17)
out <- list()
put <- function(dataset, quantity, param, value) {
  out[[length(out) + 1]] <<- data.frame(dataset = dataset, quantity = quantity,
                                        param = as.character(param), value = value)
}
fmt <- function(x) ifelse(is.na(x), "NA", ifelse(is.infinite(x),
                  ifelse(x > 0, "Inf", "-Inf"), trimws(formatC(x, digits = 17, format = "g"))))

# ---- exact McNemar: binom.test tails --------------------------------------
bc <- rbind(c(8, 2), c(2, 8), c(0, 5), c(5, 0), c(1, 1), c(15, 15), c(60, 35),
            c(600, 520), c(3000, 2850), c(10, 40), c(1, 1000), c(400, 300))
for (i in seq_len(nrow(bc))) {
  b <- bc[i, 1]; c <- bc[i, 2]; key <- paste0(b, ":", c)
  put("binom", "mcnemar_upper", key, binom.test(b, b + c, 0.5, alternative = "greater")$p.value)
  put("binom", "mcnemar_lower", key, binom.test(b, b + c, 0.5, alternative = "less")$p.value)
}

# ---- Holm -----------------------------------------------------------------
pv <- list(a = c(0.01, 0.04, 0.03, 0.005),
           b = c(0.2, 0.2, 0.01, 0.5, 0.04, 0.04, 0.9),
           c = c(1e-8, 0.3, NA, 0.02, 0.011),
           d = c(0.5),
           e = c(0.03, 0.01, 0.02, 0.04, 0.05, 0.06, 0.2, 0.0001, 0.33, 0.6))
for (k in names(pv)) {
  adj <- p.adjust(pv[[k]], "holm")
  for (j in seq_along(adj)) {
    put("holm", paste0("p_", k), j, pv[[k]][j])
    put("holm", paste0("adj_", k), j, adj[j])
  }
}

# ---- type-7 quantiles -------------------------------------------------------
set.seed(7)
qv <- list(ten = 1:10, five = sort(c(3.2, -1, 7, 7, 2.5)), norm = sort(rnorm(37)), one = 42.5)
probs <- c(0, 0.05, 0.1, 0.25, 0.5, 0.9, 0.95, 0.99, 1)
for (k in names(qv)) {
  for (j in seq_along(qv[[k]])) put("quantile", paste0("x_", k), j, qv[[k]][j])
  for (p in probs) put("quantile", paste0("q_", k), p, unname(quantile(qv[[k]], p, type = 7)))
}

# ---- Wilson score interval (Wilson 1927), written out ----------------------
wilson <- function(x, n, level) {
  z <- qnorm((1 + level) / 2)
  p <- x / n
  centre <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  half <- z / (1 + z^2 / n) * sqrt(p * (1 - p) / n + z^2 / (4 * n^2))
  c(max(0, centre - half), min(1, centre + half))
}
for (xn in list(c(0, 10), c(10, 10), c(3, 10), c(45, 50), c(500, 1000), c(1, 3), c(97, 120))) {
  for (level in c(0.9, 0.95)) {
    w <- wilson(xn[1], xn[2], level)
    key <- paste0(xn[1], ":", xn[2], ":", level)
    put("wilson", "lo", key, w[1]); put("wilson", "hi", key, w[2])
  }
}

# ---- power: Connor (1987) and the clustered normal formula -----------------
connor <- function(psi, delta, alpha, power)
  (qnorm(1 - alpha) * sqrt(psi) + qnorm(power) * sqrt(psi - delta^2))^2 / delta^2
for (psi in c(0.1, 0.2, 0.35)) for (delta in c(0.02, 0.05, 0.1)) for (alpha in c(0.05, 0.025))
  for (power in c(0.8, 0.9)) {
    key <- paste(psi, delta, alpha, power, sep = ":")
    put("power", "connor_n", key, connor(psi, delta, alpha, power))
  }
for (psi in c(0.1, 0.2, 0.35)) for (n in c(120, 400, 5000)) {
  key <- paste(psi, n, 0.05, 0.9, sep = ":")
  mde <- uniroot(function(d) connor(psi, d, 0.05, 0.9) - n, c(1e-9, psi), tol = 1e-15)$root
  put("power", "connor_mde", key, mde)
}
# Connor with a margin m (H0 Delta <= m, power at Delta = delta > m): Nam's
# (1997) sample size for Tango's score test. psi is raised to
# max(|delta|, |m|) when smaller (a difference Delta needs psi >= |Delta|);
# under H1 the discordant cells are p10 = (psi + delta)/2 (candidate only)
# and p01 = (psi - delta)/2 (baseline only). The alternative variance of a
# pair's difference is psi - delta^2; the null variance is the one Tango's
# statistic estimates under Delta = m, 2*q + m*(1 - m), with q the
# restricted MLE of P(C=0,B=1) at the expected cells. q is found here
# numerically, not from Tango's closed form: the expected log-likelihood
# p10*log(q + m) + p01*log(q) + (1 - psi)*log(1 - 2q - m) is concave in q
# on (max(0, -m), (1 - m)/2), and q is the root of its derivative by
# uniroot (or an end of the interval when the derivative does not change
# sign), cross-checked against optimize() on the log-likelihood itself.
rmle_q01 <- function(p10, p01, m) {
  pc <- 1 - p10 - p01
  loglik <- function(q) (if (p10 > 0) p10 * log(q + m) else 0) +
    (if (p01 > 0) p01 * log(q) else 0) + (if (pc > 0) pc * log(1 - 2 * q - m) else 0)
  score <- function(q) (if (p10 > 0) p10 / (q + m) else 0) +
    (if (p01 > 0) p01 / q else 0) - (if (pc > 0) 2 * pc / (1 - 2 * q - m) else 0)
  lo <- max(0, -m); hi <- (1 - m) / 2; eps <- 1e-13 * (hi - lo)
  q <- if (score(lo + eps) <= 0) lo else if (score(hi - eps) >= 0) hi else
    uniroot(score, c(lo + eps, hi - eps), tol = 1e-15, maxiter = 1000)$root
  q_opt <- optimize(loglik, c(lo, hi), maximum = TRUE, tol = 1e-12)$maximum
  stopifnot(abs(q - q_opt) < 1e-6)
  q
}
nam_sd <- function(psi, delta, m) {
  psi <- max(psi, abs(delta), abs(m))
  q <- rmle_q01((psi + delta) / 2, (psi - delta) / 2, m)
  c(s0 = sqrt(2 * q + m * (1 - m)), s1 = sqrt(psi - delta^2))
}
connor_m <- function(psi, delta, m, alpha, power) {
  s <- nam_sd(psi, delta, m)
  (qnorm(1 - alpha) * s[["s0"]] + qnorm(power) * s[["s1"]])^2 / (delta - m)^2
}
power_m <- function(n, psi, delta, m, alpha) {
  s <- nam_sd(psi, delta, m)
  pnorm((sqrt(n) * (delta - m) - qnorm(1 - alpha) * s[["s0"]]) / s[["s1"]])
}
# the smallest effect in (m, 1] whose n is at most N: the first of 4000 grid
# cells whose right end needs at most N pairs, refined by uniroot
mde_m <- function(psi, N, m, alpha, power) {
  f <- function(d) connor_m(psi, d, m, alpha, power) - N
  grid <- m + (1 - m) * (1:4000) / 4000
  k <- which(sapply(grid, f) <= 0)[1]
  lower <- if (k == 1) m + 1e-9 else grid[k - 1]
  uniroot(f, c(lower, grid[k]), tol = 1e-15)$root
}
# At m = 0 the restricted MLE is psi/2 and the null variance psi: Connor.
stopifnot(abs(rmle_q01(0.125, 0.075, 0) - 0.1) < 1e-14)
# The numerical q agrees with Tango's closed form (tango_z's root, below).
for (cell in list(c(0.125, 0.075, -0.05), c(0.055, 0.025, -0.06), c(0.09, 0.01, 0.04), c(0.2, 0.25, -0.3))) {
  p10 <- cell[1]; p01 <- cell[2]; m <- cell[3]
  B <- -p10 - p01 + (2 - p10 + p01) * m; C <- -p01 * m * (1 - m)
  stopifnot(abs(rmle_q01(p10, p01, m) - (sqrt(B^2 - 8 * C) - B) / 4) < 1e-12)
}
pdm <- rbind(c(0.2, 0.05, -0.05), c(0.2, 0.1, 0.05), c(0.35, 0.02, -0.1), c(0.26, 0.1, 0.02),
             c(0.1, 0.03, -0.2),   # psi raised to |m| = 0.2
             c(0.05, 0.1, 0.02),   # psi raised to delta = 0.1
             c(0.3, -0.02, -0.1),  # non-inferiority against a small loss
             c(0.2, 0.05, 0),      # m = 0: Connor
             c(0.08, 0.03, -0.06), # margin comparable to psi
             c(0.1, 0.08, 0.04))   # positive margin: null variance below psi - m^2
for (i in seq_len(nrow(pdm))) for (ap in list(c(0.05, 0.9), c(0.025, 0.8))) {
  psi <- pdm[i, 1]; delta <- pdm[i, 2]; m <- pdm[i, 3]; alpha <- ap[1]; power <- ap[2]
  n <- connor_m(psi, delta, m, alpha, power)
  root <- uniroot(function(x) power_m(x, psi, delta, m, alpha) - power, c(1e-6, 1e7), tol = 1e-12)$root
  stopifnot(abs(root - n) <= 1e-8 * n)
  if (m == 0) stopifnot(abs(n - connor(max(psi, delta), delta, alpha, power)) <= 1e-12 * n)
  put("power", "connor_n_margin", paste(psi, delta, m, alpha, power, sep = ":"), n)
}
for (psi in c(0.1, 0.2, 0.35)) for (n in c(120, 400, 5000)) for (m in c(-0.05, 0.03)) {
  key <- paste(psi, n, m, 0.05, 0.9, sep = ":")
  put("power", "connor_mde_margin", key, mde_m(psi, n, m, 0.05, 0.9))
}
# the power of the clustered test, the inverse of cluster_n
for (s2 in c(0.1, 0.4)) for (deff in c(1, 2.5)) for (n in c(0, 50, 1000)) {
  key <- paste(s2, deff, 0.03, n, 0.05, sep = ":")
  put("power", "cluster_power", key, pnorm(0.03 * sqrt(n / (s2 * deff)) - qnorm(0.95)))
}
for (s2 in c(0.1, 0.4)) for (deff in c(1, 2.5)) for (delta in c(0.02, 0.05)) {
  key <- paste(s2, deff, delta, 0.05, 0.9, sep = ":")
  put("power", "cluster_n", key, (qnorm(0.95) + qnorm(0.9))^2 * s2 * deff / delta^2)
  put("power", "cluster_mde", paste(s2, deff, 1000, 0.05, 0.9, sep = ":"),
      (qnorm(0.95) + qnorm(0.9)) * sqrt(s2 * deff / 1000))
}

# ---- Tango (1998) score statistic, constrained MLE in closed form ----------
# x12 = b (C=1,B=0), x21 = c (C=0,B=1); Delta = q12 - q21.
tango_z <- function(b, c, n, d) {
  A <- 2 * n; B <- -b - c + (2 * n - b + c) * d; C <- -c * d * (1 - d)
  q21 <- (sqrt(B^2 - 4 * A * C) - B) / (2 * A)
  (b - c - n * d) / sqrt(n * (2 * q21 + d * (1 - d)))
}
tango_ci <- function(b, c, n, level) {
  z <- qnorm((1 + level) / 2); est <- (b - c) / n
  f <- function(d) tango_z(b, c, n, d)
  # Z(est) = 0 by definition (the 0/0 of b = c = 0 included)
  lo <- if (est <= -1) -1 else uniroot(function(d) f(d) - z, c(-1 + 1e-12, est),
                                       f.upper = -z, tol = 1e-15)$root
  hi <- if (est >= 1) 1 else uniroot(function(d) f(d) + z, c(est, 1 - 1e-12),
                                     f.lower = z, tol = 1e-15)$root
  c(lo, hi)
}
for (bcn in list(c(8, 2, 50), c(15, 5, 80), c(3, 9, 40), c(40, 38, 400), c(0, 0, 30), c(0, 4, 10), c(7, 0, 7))) {
  b <- bcn[1]; c <- bcn[2]; n <- bcn[3]; key <- paste(b, c, n, sep = ":")
  for (d in c(-0.1, -0.02, 0.05, 0.1)) put("tango", "z", paste(key, d, sep = ":"), tango_z(b, c, n, d))
  if (b + c > 0) put("tango", "z", paste(key, 0, sep = ":"), tango_z(b, c, n, 0))
  for (level in c(0.9, 0.95)) {
    ci <- tango_ci(b, c, n, level)
    put("tango", "lo", paste(key, level, sep = ":"), ci[1])
    put("tango", "hi", paste(key, level, sep = ":"), ci[2])
  }
}

# ---- per-dataset quantities --------------------------------------------------
cluster_t <- function(d, cl, m, level) {
  n <- length(d); G <- length(unique(cl)); dbar <- mean(d)
  Dg <- tapply(d - dbar, cl, sum)
  se <- sqrt(G / (G - 1) * sum(Dg^2)) / n
  t <- (dbar - m) / se; q <- qt((1 + level) / 2, G - 1)
  list(delta = dbar, se = se, df = G - 1, t = t,
       p_upper = pt(t, G - 1, lower.tail = FALSE), p_lower = pt(t, G - 1),
       lo = dbar - q * se, hi = dbar + q * se)
}
delta_ratio <- function(cb, ab, cc, ac, cl, r, level) {
  n <- length(cb); G <- length(unique(cl))
  L <- log((sum(cc) / sum(ac)) / (sum(cb) / sum(ab)))
  IF <- (cc / mean(cc) - ac / mean(ac)) - (cb / mean(cb) - ab / mean(ab))
  se <- sqrt(G / (G - 1) * sum(tapply(IF, cl, sum)^2)) / n
  # Student t with G - 1 df, as for the clustered t (ftgate's deviation from
  # methods.md's normal reference; see docs/methods.md)
  t <- (L - log(r)) / se; q <- qt((1 + level) / 2, G - 1)
  list(L = L, se = se, t = t, df = G - 1, p = pt(t, G - 1), lo = exp(L - q * se), hi = exp(L + q * se))
}
for (name in c("single", "clustered", "zero_discordant", "small")) {
  s <- read.csv(paste0(name, ".csv"))
  # per-case means over samples
  cs <- aggregate(cbind(acc_b, acc_c, cost_b, cost_c) ~ case + cluster, data = s, FUN = mean)
  cs <- cs[order(cs$case), ]
  d <- cs$acc_c - cs$acc_b
  put(name, "n", "", nrow(cs)); put(name, "G", "", length(unique(cs$cluster)))
  if (all(table(s$case) == 1)) {
    b <- sum(s$acc_c == 1 & s$acc_b == 0); c <- sum(s$acc_c == 0 & s$acc_b == 1)
    put(name, "b", "", b); put(name, "c", "", c)
    if (b + c > 0) {
      put(name, "mcnemar_upper", "", binom.test(b, b + c, 0.5, alternative = "greater")$p.value)
      put(name, "mcnemar_lower", "", binom.test(b, b + c, 0.5, alternative = "less")$p.value)
    }
  }
  for (m in c(0, -0.05)) {
    r <- cluster_t(d, cs$cluster, m, 0.9)
    if (r$se > 0) for (k in names(r)) put(name, paste0("ct_", k), m, r[[k]])
    if (r$se > 0 && m == 0 && length(unique(cs$cluster)) == nrow(cs)) {
      # unclustered: the clustered SE is the paired t test's
      stopifnot(isTRUE(all.equal(unname(t.test(cs$acc_c, cs$acc_b, paired = TRUE)$statistic), r$t)))
    }
  }
  for (rr in c(1, 0.8)) {
    r <- delta_ratio(cs$cost_b, cs$acc_b, cs$cost_c, cs$acc_c, cs$cluster, rr, 0.9)
    for (k in names(r)) put(name, paste0("delta_", k), rr, r[[k]])
  }
  for (level in c(0.9, 0.95)) {
    w <- wilson(sum(s$acc_c), nrow(s), level)
    put(name, "wilson_c_lo", level, w[1]); put(name, "wilson_c_hi", level, w[2])
  }
  for (p in c(0.5, 0.95)) {
    put(name, "lat_b_q7", p, unname(quantile(s$lat_b, p)))
    put(name, "lat_c_q7", p, unname(quantile(s$lat_c, p)))
  }
}

# ---- the gate end to end (gate/oracle_test.go) -------------------------------
# The same datasets read as scorecards, with workflows assigned by cluster:
# alpha, beta, gamma for cluster %% 3 = 0, 1, 2. Policy: alpha 0.05,
# power.effect 0.05 at target 0.9, segments.min_cases 10. Quality is
# cluster-t for "clustered" (3 samples per case) and exact McNemar with the
# Tango interval for "single"; power is ClusterN or Nam's formula with the margin (Connor's at m = 0) on the observed
# sigma^2 and design effect or discordant share; segments are one-sided
# lower-tail tests (cluster-t, McNemar; Tango with a drop) with Holm.
za <- qnorm(0.95); zb <- qnorm(0.9); eff <- 0.05
for (name in c("single", "clustered")) {
  s <- read.csv(paste0(name, ".csv"))
  cs <- aggregate(cbind(acc_b, acc_c, cost_b, cost_c) ~ case + cluster, data = s, FUN = mean)
  cs <- cs[order(cs$case), ]
  d <- cs$acc_c - cs$acc_b; n <- nrow(cs)
  wf <- c("alpha", "beta", "gamma")[cs$cluster %% 3 + 1]
  put(name, "gate_p_b", "", mean(cs$acc_b)); put(name, "gate_p_c", "", mean(cs$acc_c))
  put(name, "gate_cpa_b", "", sum(cs$cost_b) / sum(cs$acc_b))
  put(name, "gate_cpa_c", "", sum(cs$cost_c) / sum(cs$acc_c))
  put(name, "gate_lat_b_p50", "", unname(quantile(s$lat_b, 0.5)))
  put(name, "gate_lat_c_p95", "", unname(quantile(s$lat_c, 0.95)))
  single <- all(table(s$case) == 1)
  for (m in c(0, -0.05)) {
    if (single) {
      b <- sum(d == 1); c <- sum(d == -1); psi <- (b + c) / n
      if (m == 0) {
        p <- binom.test(b, b + c, 0.5, alternative = "greater")$p.value
      } else {
        p <- pnorm(tango_z(b, c, n, m), lower.tail = FALSE)
      }
      ci <- tango_ci(b, c, n, 0.9)
      # Nam's formula with the margin (connor_m above; Connor's formula at m = 0)
      need <- connor_m(psi, eff, m, 0.05, 0.9)
      mde <- mde_m(psi, n, m, 0.05, 0.9)
    } else {
      r <- cluster_t(d, cs$cluster, m, 0.9)
      p <- r$p_upper; ci <- c(r$lo, r$hi)
      v <- var(d); deff <- r$se^2 * n / v
      need <- (za + zb)^2 * v * deff / (eff - m)^2
      mde <- m + (za + zb) * sqrt(v * deff / n)
    }
    put(name, "gate_q_p", m, p); put(name, "gate_q_lo", m, ci[1]); put(name, "gate_q_hi", m, ci[2])
    put(name, "gate_power_n", m, need); put(name, "gate_power_more", m, max(0, ceiling(need) - n))
    put(name, "gate_power_mde", m, mde)
    # the power curve at the cases at hand and at the cases needed
    for (nn in c(n, ceiling(need))) {
      pw <- if (single) power_m(nn, psi, eff, m, 0.05)
            else pnorm((eff - m) * sqrt(nn / (v * deff)) - za)
      put(name, "gate_power_curve", paste(m, nn, sep = ":"), pw)
    }
  }
  # segments, also with the arms swapped (the "candidate" is then worse,
  # so the lower-tail tests and Holm have something to find)
  for (swap in c(FALSE, TRUE)) {
    dd <- if (swap) -d else d
    tag <- if (swap) "gate_swap_seg" else "gate_seg"
    for (drop in c(0, 0.05)) {
      p <- sapply(c("alpha", "beta", "gamma"), function(w) {
        k <- wf == w
        if (single) {
          b <- sum(dd[k] == 1); c <- sum(dd[k] == -1)
          if (drop == 0) binom.test(b, b + c, 0.5, alternative = "less")$p.value
          else pnorm(tango_z(b, c, sum(k), -drop))
        } else cluster_t(dd[k], cs$cluster[k], -drop, 0.9)$p_lower
      })
      adj <- p.adjust(p, "holm")
      # The level at which Holm's step-down tested each workflow: step j
      # (p-values ascending) tests at alpha/(k - j + 1) until the first step
      # j0 that does not reject; the workflows after it share j0's level.
      k <- length(p); o <- order(p); j <- seq_len(k)
      rejected <- p[o] <= 0.05 / (k - j + 1)
      j0 <- if (all(rejected)) k + 1 else which(!rejected)[1]
      lev <- numeric(k); lev[o] <- 0.05 / (k - pmin(j, j0) + 1)
      names(lev) <- names(p)
      for (w in names(p)) {
        key <- paste(w, drop, sep = ":")
        if (!swap) put(name, "gate_seg_n", key, sum(wf == w))
        put(name, paste0(tag, "_p"), key, p[[w]])
        put(name, paste0(tag, "_adj"), key, adj[[w]])
        kk <- wf == w; level <- 1 - 2 * lev[[w]]
        ci <- if (single) tango_ci(sum(dd[kk] == 1), sum(dd[kk] == -1), sum(kk), level) else {
          r <- cluster_t(dd[kk], cs$cluster[kk], -drop, level); c(r$lo, r$hi)
        }
        put(name, paste0(tag, "_level"), key, level)
        put(name, paste0(tag, "_lo"), key, ci[1]); put(name, paste0(tag, "_hi"), key, ci[2])
      }
    }
  }
}

res <- do.call(rbind, out)
res$value <- fmt(res$value)
con <- file("oracle_r.csv", "w")
writeLines(c(paste("#", R.version.string),
             "# generated by make_oracle.R; columns: dataset,quantity,param,value"), con)
write.csv(res, con, row.names = FALSE, quote = FALSE)
close(con)
