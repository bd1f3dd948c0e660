package dev.robustsynth.autodiff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutodiffCliTest {
  @TempDir
  Path tmp;

  private Path fixture() throws Exception {
    Path p = tmp.resolve("small_cnn.onnx");
    if (Files.exists(p)) {
      return p;
    }
    try (InputStream in = getClass().getResourceAsStream("/fixtures/small_cnn.onnx")) {
      Files.copy(in, p);
    }
    return p;
  }

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int s = AutodiffCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(s, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void compileWritesBothGraphsAndTheSignature() throws Exception {
    Path dir = tmp.resolve("out");
    Run r = run("compile", fixture().toString(), "--out", dir.toString(), "--expose", "feat", "--opset", "18");
    assertEquals(0, r.status(), r.err());
    ModelProto syn = ModelProto.parseFrom(Files.readAllBytes(dir.resolve("synthesis.onnx")));
    ModelProto fwd = ModelProto.parseFrom(Files.readAllBytes(dir.resolve("forward.onnx")));
    assertEquals(18, syn.getOpsetImport(0).getVersion());
    assertTrue(syn.getGraph().getInputList().stream().anyMatch(v -> v.getName().equals("w_feat")));
    assertEquals(2, fwd.getGraph().getOutputCount());
    String json = Files.readString(dir.resolve("signature.json"));
    assertTrue(json.contains("\"classes\": 10") && json.contains("\"name\": \"feat\"") && json.contains("[32]"), json);
  }

  @Test
  void layersPrintsOneActivationPerLine() throws Exception {
    Run r = run("layers", fixture().toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.equals("feat\tRelu\t[32]")), r.out());
  }

  @Test
  void usageErrorsExitWithTwoAndCompileErrorsWithOne() throws Exception {
    assertEquals(2, run("compile").status());
    assertEquals(2, run("compile", fixture().toString()).status());
    assertEquals(2, run("compile", fixture().toString(), "--out", "x", "--opset", "11").status());
    assertEquals(2, run("frobnicate", "x").status());
    Run bad = run("compile", fixture().toString(), "--out", tmp.resolve("o").toString(), "--expose", "missing");
    assertEquals(1, bad.status());
    assertTrue(bad.err().contains("'missing'"), bad.err());
  }
}
