package dev.robustsynth.eval;

/**
 * The Fréchet distance between Gaussians fitted to two sets of feature rows:
 * ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^½), with tr (Σ₁Σ₂)^½ = Σ √λ over the eigenvalues λ of Σ₁^½ Σ₂ Σ₁^½
 * (symmetric, so a Jacobi eigensolver suffices).
 */
final class FrechetDistance {
    private FrechetDistance() {
    }

    /** Mean and covariance (divided by n − 1) of feature rows. */
    record Gaussian(double[] mean, double[][] covariance, int rows) {
        static Gaussian fit(float[][] features) {
            int n = features.length;
            int d = features[0].length;
            double[] mean = new double[d];
            for (float[] row : features) {
                for (int j = 0; j < d; j++) {
                    mean[j] += row[j] / (double) n;
                }
            }
            double[][] cov = new double[d][d];
            double[] centred = new double[d];
            for (float[] row : features) {
                for (int j = 0; j < d; j++) {
                    centred[j] = row[j] - mean[j];
                }
                for (int a = 0; a < d; a++) {
                    double ca = centred[a];
                    double[] line = cov[a];
                    for (int b = a; b < d; b++) {
                        line[b] += ca * centred[b];
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    cov[a][b] /= n - 1;
                    cov[b][a] = cov[a][b];
                }
            }
            return new Gaussian(mean, cov, n);
        }
    }

    static double between(float[][] a, float[][] b) {
        return between(Gaussian.fit(a), Gaussian.fit(b));
    }

    static double between(Gaussian a, Gaussian b) {
        int d = a.mean().length;
        double meanTerm = 0;
        double traces = 0;
        for (int j = 0; j < d; j++) {
            double diff = a.mean()[j] - b.mean()[j];
            meanTerm += diff * diff;
            traces += a.covariance()[j][j] + b.covariance()[j][j];
        }
        double[][] rootA = sqrtPsd(a.covariance());
        double[][] inner = multiply(multiply(rootA, b.covariance()), rootA);
        double traceRoot = 0;
        for (double lambda : Jacobi.eigen(inner).values()) {
            traceRoot += Math.sqrt(Math.max(lambda, 0));
        }
        return meanTerm + traces - 2 * traceRoot;
    }

    /** The symmetric square root of a positive semi-definite matrix (negative round-off eigenvalues set to 0). */
    static double[][] sqrtPsd(double[][] m) {
        Jacobi.Eigen e = Jacobi.eigen(m);
        int d = m.length;
        double[][] out = new double[d][d];
        for (int k = 0; k < d; k++) {
            double root = Math.sqrt(Math.max(e.values()[k], 0));
            if (root == 0) {
                continue;
            }
            for (int i = 0; i < d; i++) {
                double vik = e.vectors()[i][k] * root;
                for (int j = 0; j < d; j++) {
                    out[i][j] += vik * e.vectors()[j][k];
                }
            }
        }
        return out;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        int inner = b.length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < inner; k++) {
                double aik = a[i][k];
                if (aik == 0) {
                    continue;
                }
                double[] bk = b[k];
                double[] oi = out[i];
                for (int j = 0; j < m; j++) {
                    oi[j] += aik * bk[j];
                }
            }
        }
        return out;
    }

    /** Cyclic Jacobi eigensolver for small symmetric matrices (features of a few hundred dimensions). */
    static final class Jacobi {
        private static final int MAX_SWEEPS = 60;

        private Jacobi() {
        }

        /** Eigenvalues and the eigenvectors as columns. */
        record Eigen(double[] values, double[][] vectors) {
        }

        static Eigen eigen(double[][] symmetric) {
            int n = symmetric.length;
            double[][] a = new double[n][];
            for (int i = 0; i < n; i++) {
                a[i] = symmetric[i].clone();
            }
            double[][] v = new double[n][n];
            for (int i = 0; i < n; i++) {
                v[i][i] = 1;
            }
            for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
                double off = 0;
                double scale = 0;
                for (int i = 0; i < n; i++) {
                    scale += a[i][i] * a[i][i];
                    for (int j = i + 1; j < n; j++) {
                        off += a[i][j] * a[i][j];
                    }
                }
                if (off <= 1e-22 * Math.max(scale, 1e-300)) {
                    break;
                }
                for (int p = 0; p < n - 1; p++) {
                    for (int q = p + 1; q < n; q++) {
                        double apq = a[p][q];
                        if (Math.abs(apq) < 1e-300) {
                            continue;
                        }
                        double theta = (a[q][q] - a[p][p]) / (2 * apq);
                        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                        if (theta == 0) {
                            t = 1;
                        }
                        double c = 1 / Math.sqrt(t * t + 1);
                        double s = t * c;
                        for (int k = 0; k < n; k++) {
                            double akp = a[k][p];
                            double akq = a[k][q];
                            a[k][p] = c * akp - s * akq;
                            a[k][q] = s * akp + c * akq;
                        }
                        for (int k = 0; k < n; k++) {
                            double apk = a[p][k];
                            double aqk = a[q][k];
                            a[p][k] = c * apk - s * aqk;
                            a[q][k] = s * apk + c * aqk;
                        }
                        for (int k = 0; k < n; k++) {
                            double vkp = v[k][p];
                            double vkq = v[k][q];
                            v[k][p] = c * vkp - s * vkq;
                            v[k][q] = s * vkp + c * vkq;
                        }
                    }
                }
            }
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = a[i][i];
            }
            return new Eigen(values, v);
        }
    }
}
