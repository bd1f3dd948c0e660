package dev.robustsynth.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Interleaved timing of benchmark cases: wall-clock time and the process's CPU time (all threads,
 * ORT's and libtorch's native workers included) per run. On a shared machine the wall time depends
 * on what else runs; CPU time measures the work itself and is the steadier of the two.
 */
final class Timings {
  private final Map<String, List<double[]>> samples = new LinkedHashMap<>();

  private Timings() {}

  /** Runs every case {@code reps} times after two untimed rounds, round-robin. */
  static Timings measure(Map<String, Runnable> cases, int reps) {
    Timings t = new Timings();
    for (int rep = -2; rep < reps; rep++) {
      for (var e : cases.entrySet()) {
        long cpu = cpuNanos();
        long wall = System.nanoTime();
        e.getValue().run();
        double w = (System.nanoTime() - wall) / 1e6;
        double c = (cpuNanos() - cpu) / 1e6;
        if (rep >= 0) {
          t.samples.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new double[] {w, c});
        }
      }
    }
    return t;
  }

  /**
   * CPU time of all the process's threads in nanoseconds: the sum of the first field of
   * {@code /proc/self/task/<tid>/schedstat} (Linux, nanosecond resolution), else the JVM's
   * process CPU time (often 10 ms resolution).
   */
  static long cpuNanos() {
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      long sum = 0;
      for (Path task : tasks) {
        try {
          String s = Files.readString(task.resolve("schedstat"));
          sum += Long.parseLong(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException gone) {
          // the thread ended between listing and reading
        }
      }
      return sum;
    } catch (IOException e) {
      return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }
  }

  private double[] sorted(String c, int k) {
    return samples.get(c).stream().mapToDouble(v -> v[k]).sorted().toArray();
  }

  double medianWall(String c) {
    double[] v = sorted(c, 0);
    return v[v.length / 2];
  }

  double medianCpu(String c) {
    double[] v = sorted(c, 1);
    return v[v.length / 2];
  }

  void print() {
    System.out.printf("%-34s %10s %10s %10s %12s %10s%n", "case", "median ms", "min ms", "max ms", "median cpu ms",
        "per s");
    for (String c : samples.keySet()) {
      double[] w = sorted(c, 0);
      System.out.printf("%-34s %10.1f %10.1f %10.1f %12.1f %10.2f%n", c, medianWall(c), w[0], w[w.length - 1],
          medianCpu(c), 1000 / medianWall(c));
    }
  }

  /** Prints {@code num / den} by median wall time and by median CPU time. */
  void ratio(String what, String num, String den) {
    System.out.printf("%s = %.2fx wall, %.2fx cpu%n", what, medianWall(num) / medianWall(den),
        medianCpu(num) / medianCpu(den));
  }
}
