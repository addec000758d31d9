# Oracle values for ftgate's confidence sequences (stats/sequential.go),
# computed the plain R way from the formulas of the papers:
#   Waudby-Smith, Arbour, Sinha, Kennedy & Ramdas (2024), asymptotic CS;
#   Howard, Ramdas, McAuliffe & Sekhon (2021), the one-sided (half-normal)
#     normal-mixture boundary;
#   Waudby-Smith & Ramdas (2024), betting CS with predictable bets.
# Rscript make_sequential.R   (writes oracle_sequential.csv; see README.md)
# Base R only. The course of a sequential test (expected units to a decision)
# is computed here by numerical integration of the Brownian approximation,
# a different method from the Go code's simulation, and the betting plan by
# an R simulation with R's own random numbers.
options(digits = 17)
out <- list()
put <- function(dataset, quantity, param, value) {
  out[[length(out) + 1]] <<- data.frame(dataset = dataset, quantity = quantity,
                                        param = as.character(param), value = value)
}
fmt <- function(x) ifelse(is.na(x), "NA", ifelse(is.infinite(x),
                  ifelse(x > 0, "Inf", "-Inf"), trimws(formatC(x, digits = 17, format = "g"))))

# ---- the one-sided normal-mixture radius and its tuning --------------------
radius <- function(t, rho2, alpha)
  sqrt(2 * (t * rho2 + 1) / (t^2 * rho2) * log(1 + sqrt(t * rho2 + 1) / (2 * alpha)))
# The tuned x = t*rho2 minimises (x + 1)/x * log(1 + sqrt(x + 1)/(2 alpha)):
# the root of its derivative (numerical, by R's D()), checked against optimize().
fx <- expression((x + 1) / x * log(1 + sqrt(x + 1) / (2 * alpha)))
dfx <- D(fx[[1]], "x")
best_x <- function(alpha) {
  g <- function(x) eval(dfx, list(x = x, alpha = alpha))
  r <- uniroot(g, c(1e-3, 1e4), tol = 1e-15)$root
  f <- function(lx) eval(fx[[1]], list(x = exp(lx), alpha = alpha))
  stopifnot(abs(log(r) - optimize(f, c(log(1e-6), log(1e6)), tol = 1e-12)$minimum) < 1e-4)
  r
}
for (alpha in c(0.05, 0.025, 0.1, 0.01)) put("seq", "best_x", alpha, best_x(alpha))
for (t in c(1, 10, 100, 1000, 12345)) for (rho2s in c("0.0001", "0.007", "0.5")) for (alpha in c(0.05, 0.01))
  put("seq", "radius", paste(t, rho2s, alpha, sep = ":"), radius(t, as.numeric(rho2s), alpha))

# The radius is a valid (conservative) one-sided boundary: at S = t*sd*radius
# the exact half-normal mixture martingale 2*sqrt(rho/(v+rho))*exp(S^2/(2(v+rho)))*pnorm(S/sqrt(v+rho))
# (v = t in sd units, rho = 1/rho2) is at least 1/alpha.
for (t in c(1, 10, 100, 1000, 1e5)) for (rho2 in c(1e-4, 0.007, 0.5)) for (alpha in c(0.05, 0.01)) {
  S <- t * radius(t, rho2, alpha); v <- t; r <- 1 / rho2
  logM <- log(2) + 0.5 * log(r / (v + r)) + S^2 / (2 * (v + r)) + pnorm(S / sqrt(v + r), log.p = TRUE)
  stopifnot(logM >= log(1 / alpha) - 1e-12)
}

# ---- data ---------------------------------------------------------------------
case_means <- function(file) {
  d <- read.csv(file)
  agg <- aggregate(cbind(acc_b, acc_c, cost_b, cost_c) ~ case + cluster, data = d, FUN = mean)
  agg[order(sprintf("%04d", agg$case)), ]
}
seq_mean <- function(x, cl, m, alpha, rho2) {
  n <- length(x); est <- mean(x)
  D <- tapply(x, cl, sum); ng <- tapply(rep(1, n), cl, sum); G <- length(D)
  phi <- (D - est * ng) / (n / G)
  sd <- sqrt(sum(phi^2) / (G - 1)); r <- radius(G, rho2, alpha)
  pval <- function(dist) {
    if (dist <= 0) return(1)
    k <- G * rho2 + 1; L <- dist^2 * G^2 * rho2 / (2 * sd^2 * k)
    min(1, sqrt(k) / (2 * expm1(L)))
  }
  c(est = est, sd = sd, radius = r, lo = est - sd * r, hi = est + sd * r,
    p_upper = pval(est - m), p_lower = pval(m - est), G = G)
}
seq_ratio <- function(cb, ab, cc, ac, cl, r0, alpha, rho2) {
  CB <- tapply(cb, cl, sum); AB <- tapply(ab, cl, sum); CC <- tapply(cc, cl, sum); AC <- tapply(ac, cl, sum)
  G <- length(CB)
  theta <- log((sum(CC) / sum(AC)) / (sum(CB) / sum(AB)))
  phi <- CC / mean(CC) - AC / mean(AC) - CB / mean(CB) + AB / mean(AB)
  sd <- sqrt(sum(phi^2) / (G - 1)); r <- radius(G, rho2, alpha)
  pval <- function(dist) {
    if (dist <= 0) return(1)
    k <- G * rho2 + 1; L <- dist^2 * G^2 * rho2 / (2 * sd^2 * k)
    min(1, sqrt(k) / (2 * expm1(L)))
  }
  c(est = exp(theta), sd = sd, lo = exp(theta - sd * r), hi = exp(theta + sd * r),
    p_lower = pval(log(r0) - theta), p_upper = pval(theta - log(r0)))
}

for (ds in c("single", "clustered")) {
  cm <- case_means(paste0(ds, ".csv"))
  x <- cm$acc_c - cm$acc_b
  for (m in c(0, -0.05, 0.1)) for (nplan in c(50, 400)) {
    alpha <- 0.05; rho2 <- best_x(alpha) / nplan
    v <- seq_mean(x, cm$cluster, m, alpha, rho2)
    for (q in names(v)) put(ds, paste0("seqmean_", q), paste(m, nplan, sep = ":"), v[[q]])
  }
  for (r0 in c(1, 0.8, 1.5)) for (nplan in c(50, 400)) {
    alpha <- 0.05; rho2 <- best_x(alpha) / nplan
    v <- seq_ratio(cm$cost_b, cm$acc_b, cm$cost_c, cm$acc_c, cm$cluster, r0, alpha, rho2)
    for (q in names(v)) put(ds, paste0("seqratio_", q), paste(r0, nplan, sep = ":"), v[[q]])
  }
}

# ---- betting CS -------------------------------------------------------------
# Predictable bets lambda_i = sqrt(2 log(1/alpha) / (s2_{i-1} * T_i)),
# T_i = max(i, n*) (1 + log(max(i, n*)/n*)), s2 the running variance with one
# prior pseudo-observation (variance 1/4, mean 0), truncated at (1/2)/(1 +- m).
bet_lambdas <- function(x, alpha, nplan) {
  n <- length(x); lam <- numeric(n); s <- 0; ss <- 0.25
  for (i in seq_len(n)) {
    tt <- max(i, nplan)
    lam[i] <- sqrt(2 * log(1 / alpha) / (ss / i * tt * (1 + log(tt / nplan))))
    s <- s + x[i]; mu <- s / (i + 1); ss <- ss + (x[i] - mu)^2
  }
  lam
}
max_log_wealth <- function(x, lam, m, s) {
  b <- pmin(lam, 0.5 / (1 + s * m))
  max(0, cumsum(log1p(s * b * (x - m))))
}
bet_bounds <- function(x, m, alpha, nplan) {
  lam <- bet_lambdas(x, alpha, nplan); crit <- log(1 / alpha)
  up <- max_log_wealth(x, lam, m, 1); down <- max_log_wealth(x, lam, m, -1)
  fu <- function(mm) max_log_wealth(x, lam, mm, 1) - crit
  fd <- function(mm) max_log_wealth(x, lam, mm, -1) - crit
  lo <- if (fu(-1 + 1e-12) >= 0) uniroot(fu, c(-1 + 1e-12, 1), tol = 1e-14)$root else -1
  hi <- if (fd(1 - 1e-12) >= 0) uniroot(fd, c(-1, 1 - 1e-12), tol = 1e-14)$root else 1
  c(p_upper = min(1, exp(-up)), p_lower = min(1, exp(-down)), logw_up = up, logw_down = down, lo = lo, hi = hi)
}
for (ds in c("single", "zero_discordant")) {
  cm <- case_means(paste0(ds, ".csv"))
  x <- cm$acc_c - cm$acc_b            # stream order: case id
  for (m in c(0, -0.05, 0.1)) for (nplan in c(20, 200)) {
    v <- bet_bounds(x, m, 0.05, nplan)
    for (q in names(v)) put(ds, paste0("bet_", q), paste(m, nplan, sep = ":"), v[[q]])
  }
}

# ---- the course of the asymptotic CS: numerical integration ------------------
# Brownian approximation: the sum of unit values (mean delta, sd) is watched
# every b units; meet when mean - sd*radius > m, miss when mean + sd*radius < m.
# The density of the sum on the continuation region is carried forward on a
# grid (Armitage, McPherson & Rowe 1969), trapezoid rule.
plan_normal <- function(delta, sd, m, alpha, nplan, b, maxu, target, ngrid = 2001) {
  rho2 <- best_x(alpha) / nplan
  K <- maxu %/% b
  grid <- NULL; dens <- NULL
  met <- 0; missed <- 0; eunits <- 0; cum_met <- 0; upow <- Inf
  for (k in 1:K) {
    t <- k * b
    up <- t * (m + sd * radius(t, rho2, alpha)); lowb <- t * (m - sd * radius(t, rho2, alpha))
    mu <- b * delta; s <- sqrt(b) * sd
    if (k == 1) {
      pu <- pnorm(up, mu, s, lower.tail = FALSE); pl <- pnorm(lowb, mu, s)
      ng <- seq(lowb, up, length.out = ngrid); nd <- dnorm(ng, mu, s)
    } else {
      w <- c(0.5, rep(1, length(grid) - 2), 0.5) * (grid[2] - grid[1]) * dens
      pu <- sum(w * pnorm(up, grid + mu, s, lower.tail = FALSE))
      pl <- sum(w * pnorm(lowb, grid + mu, s))
      ng <- seq(lowb, up, length.out = ngrid)
      nd <- sapply(ng, function(y) sum(w * dnorm(y, grid + mu, s)))
    }
    met <- met + pu; missed <- missed + pl; eunits <- eunits + t * (pu + pl)
    cum_met <- cum_met + pu
    if (is.infinite(upow) && cum_met >= target) upow <- t
    grid <- ng; dens <- nd
  }
  eunits <- eunits + K * b * (1 - met - missed)
  c(expected_units = eunits, met = met, missed = missed, units_for_power = upow)
}
plans <- list(c(0.05, 0.45, 0, 700, 100, 6000), c(0.03, 0.5, -0.02, 1500, 250, 12000),
              c(0.0, 0.45, 0, 700, 100, 3000))
for (pp in plans) {
  v <- plan_normal(pp[1], pp[2], pp[3], 0.05, pp[4], pp[5], pp[6], 0.9)
  key <- paste(pp, collapse = ":")
  for (q in names(v)) put("plan_normal", q, key, v[[q]])
}

# ---- the course of the betting CS: simulation with R's random numbers --------
plan_bet <- function(p10, p01, m, alpha, nplan, b, maxu, paths, seed) {
  set.seed(seed)
  K <- maxu %/% b; crit <- log(1 / alpha)
  units <- numeric(paths); outcome <- numeric(paths)
  for (p in 1:paths) {
    u <- runif(maxu); x <- ifelse(u < p10, 1, ifelse(u < p10 + p01, -1, 0))
    lam <- bet_lambdas(x, alpha, nplan)
    wu <- cumsum(log1p(pmin(lam, 0.5 / (1 + m)) * (x - m)))
    wd <- cumsum(log1p(-pmin(lam, 0.5 / (1 - m)) * (x - m)))
    hu <- which(wu >= crit); hd <- which(wd >= crit)
    ku <- if (length(hu)) ceiling(hu[1] / b) else Inf
    kd <- if (length(hd)) ceiling(hd[1] / b) else Inf
    k <- min(ku, kd)
    if (is.infinite(k) || k > K) { units[p] <- K * b; outcome[p] <- 0 }
    else { units[p] <- k * b; outcome[p] <- if (ku <= kd) 1 else -1 }
  }
  c(expected_units = mean(units), expected_units_se = sd(units) / sqrt(paths),
    met = mean(outcome == 1), missed = mean(outcome == -1))
}
bplans <- list(c(0.125, 0.075, 0, 500, 50, 4000), c(0.1, 0.1, -0.05, 300, 100, 3000))
for (pp in bplans) {
  v <- plan_bet(pp[1], pp[2], pp[3], 0.05, pp[4], pp[5], pp[6], 4000, 20261128)
  key <- paste(pp, collapse = ":")
  for (q in names(v)) put("plan_bet", q, key, v[[q]])
}

res <- do.call(rbind, out)
res$value <- fmt(res$value)
con <- file("oracle_sequential.csv", "w")
writeLines(c(paste0("# ", R.version.string), "# generated by make_sequential.R; columns: dataset,quantity,param,value"), con)
write.csv(res, con, row.names = FALSE, quote = FALSE)
close(con)
