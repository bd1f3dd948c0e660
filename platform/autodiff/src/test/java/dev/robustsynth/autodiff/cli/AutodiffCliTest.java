package dev.robustsynth.autodiff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsynth.autodiff.LayerInfo;
import dev.robustsynth.autodiff.ModelSignature;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  @Test
  void signatureJsonRoundTripsNamesWithQuotesBackslashesAndControlCharacters() throws Exception {
    ModelSignature s = new ModelSignature(3, 224, 224, 1000,
        List.of(new LayerInfo("block\"1\"\\relu\n\t\u0001é", "Relu", List.of(64L, 56L, 56L)),
            new LayerInfo("fc", "Gemm", List.of(512L))),
        17, "0.3 \"dev\"");
    ObjectMapper mapper = new ObjectMapper();
    String json = AutodiffCli.json(s);
    assertEquals(s, mapper.readValue(json, SignatureFile.class).signature());
    JsonNode tree = mapper.readTree(json);
    assertEquals(224, tree.path("input").path("height").asInt());
    assertEquals("block\"1\"\\relu\n\t\u0001é", tree.path("exposed").path(0).path("name").asText());
  }

  @Test
  void compiledSignatureFileReadsBackAsTheCompilersSignature() throws Exception {
    Path dir = tmp.resolve("sig");
    assertEquals(0, run("compile", fixture().toString(), "--out", dir.toString(), "--expose", "feat").status());
    ModelSignature read = new ObjectMapper()
        .readValue(dir.resolve("signature.json").toFile(), SignatureFile.class).signature();
    assertEquals(List.of(new LayerInfo("feat", "Relu", List.of(32L))), read.exposed());
    assertEquals(10, read.classes());
  }

  @Test
  void badOptionValueIsAUsageErrorThatNamesItAndWritesNothing() throws Exception {
    Path dir = tmp.resolve("never");
    Run r = run("compile", fixture().toString(), "--out", dir.toString(), "--target", "tpu");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("--target") && r.err().contains("tpu"), r.err());
    assertTrue(r.err().contains("Usage:"), r.err());
    assertFalse(Files.exists(dir));
    assertEquals(2, run().status());
    assertEquals(2, run("layers").status());
    assertEquals(2, run("layers", fixture().toString(), "extra").status());
  }
}
