package dev.robustsynth.service.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.robustsynth.service.testing.FashionMnist;
import dev.robustsynth.service.testing.ServiceTestResource;
import dev.robustsynth.service.testing.TestModels;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.net.URL;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The playground in real headless Chromium against the running service: the page builds each task's form from its
 * schema, the gateway publishes to the real broker, the service runs the plugin on the shipped robust Fashion model
 * (a real ONNX Runtime session), and the outcome comes back as server-sent events. Start images are real
 * Fashion-MNIST test images uploaded through the page. Each test saves a screenshot under target/playground and
 * checks that the page is not blank and that the result differs, by pixels, from what it started from.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class PlaygroundBrowserTest {
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final String MODEL = TestModels.SHIPPED_NAME;
    /** Mean absolute grey difference (0-255) below which a result counts as unchanged. */
    private static final double CHANGED = 2.0;
    private static PlaygroundBrowser browser;
    private static FashionMnist fashion;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void data() {
        fashion = FashionMnist.available() ? FashionMnist.testSet() : null;
    }

    @BeforeEach
    void browser() {
        assumeTrue(PlaygroundBrowser.installed(), "Debian chromium and chromium-driver are not installed");
        assumeTrue(TestModels.shipped(), "models/" + MODEL + " is not in this checkout");
        if (browser == null) {
            browser = PlaygroundBrowser.start(root.toString());
        }
    }

    @AfterAll
    static void quit() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    private byte[] image(String className) {
        assumeTrue(fashion != null, "dataset-fashion-mnist is not installed");
        return fashion.png(fashion.indexOf(className, 0));
    }

    private static WebElement only(WebElement card, String css) {
        List<WebElement> found = card.findElements(By.cssSelector(css));
        assertEquals(1, found.size(), css + " in the result card");
        return found.getFirst();
    }

    private static void assertChanged(BufferedImage shot, WebElement result, WebElement start, String what) {
        double d = PlaygroundBrowser.regionDifference(shot, result, start);
        assertTrue(d > CHANGED, what + ": the result region differs from the start by only " + d + " grey levels");
    }

    private static void assertSucceeded(WebElement card) {
        assertEquals("SUCCEEDED", card.getDomAttribute("data-status"), card.getText());
    }

    @Test
    void paintStrokesDrawnOnTheCanvasRunWithProgressAndTheResultReplacesTheImage() {
        browser.open(MODEL, "paint");
        browser.upload(image("t-shirt/top"), "paint-start.png");
        browser.mode("stroke");
        browser.setParam("steps", "20");
        browser.driver.findElement(By.cssSelector("input[name=feature][value=channel]")).click();
        new Select(browser.driver.findElement(By.id("feature-layer")))
                .selectByValue("stage3");
        browser.driver.findElement(By.id("feature-channel")).clear();
        browser.driver.findElement(By.id("feature-channel")).sendKeys("3");
        browser.drag(new int[]{-90, -60}, new int[]{-30, -60}, new int[]{-30, 0});
        browser.driver.findElement(By.cssSelector("input[name=feature][value=class]")).click();
        new Select(browser.driver.findElement(By.id("feature-class")))
                .selectByValue("bag");
        browser.drag(new int[]{20, 40}, new int[]{90, 40}, new int[]{90, 100});
        browser.drag(new int[]{-100, 100}, new int[]{-60, 120});
        assertEquals(3, browser.driver.findElements(By.cssSelector("#strokes li")).size());
        browser.driver.findElement(By.id("undo")).click();
        List<WebElement> strokes = browser.driver.findElements(By.cssSelector("#strokes li"));
        assertEquals(2, strokes.size(), "undo removed the last stroke");
        assertTrue(strokes.get(0).getText().contains("stage3 channel 3"), strokes.get(0).getText());
        assertTrue(strokes.get(1).getText().contains("feature of class bag"), strokes.get(1).getText());

        WebElement card = browser.runAndAwait(RUN);
        assertSucceeded(card);
        assertTrue(browser.progressEvents() >= 1, "the page showed progress before the result");
        PlaygroundBrowser.waitUntil(Duration.ofSeconds(5), () -> ("result of " + card.getDomAttribute("data-task"))
                .equals(browser.driver.findElement(By.id("board")).getDomAttribute("data-image")));
        BufferedImage shot = browser.screenshot("paint");
        assertChanged(shot, only(card, "img.result"), only(card, "img.start"), "paint");
        assertTrue(browser.driver.findElements(By.cssSelector("#strokes li")).isEmpty(),
                "the result became the current image, its strokes applied");
        double onBoard = PlaygroundBrowser.regionDifference(shot, only(card, "img.result"),
                browser.driver.findElement(By.id("board")));
        assertTrue(onBoard < 12, "the board shows the result; it differs from it by " + onBoard + " grey levels");
    }

    @Test
    void generateShowsEachResultWithItsSeed() {
        browser.open(MODEL, "generate");
        browser.setParam("class", "sneaker");
        browser.setParam("count", "2");
        browser.setParam("steps", "20");
        browser.driver.findElement(By.id("seed")).clear();
        browser.driver.findElement(By.id("seed")).sendKeys("7");
        WebElement card = browser.runAndAwait(RUN);
        assertSucceeded(card);
        List<WebElement> results = card.findElements(By.cssSelector("img.result"));
        List<WebElement> seeds = card.findElements(By.cssSelector("img.seed"));
        assertEquals(2, results.size());
        assertEquals(2, seeds.size());
        assertTrue(card.getText().contains("seed 7"), card.getText());
        assertEquals(4, card.findElements(By.cssSelector("a.download")).size(), "a PNG download per image");
        BufferedImage shot = browser.screenshot("generate");
        assertChanged(shot, results.get(0), seeds.get(0), "generate");
    }

    @Test
    void inpaintFillsThePaintedMask() {
        browser.open(MODEL, "inpaint");
        browser.upload(image("trouser"), "inpaint-start.png");
        browser.mode("mask");
        browser.drag(new int[]{-40, -40}, new int[]{40, -40}, new int[]{40, 40}, new int[]{-40, 40});
        browser.setParam("steps", "20");
        WebElement card = browser.runAndAwait(RUN);
        assertSucceeded(card);
        BufferedImage shot = browser.screenshot("inpaint");
        assertChanged(shot, only(card, "img.result"), only(card, "img.start"), "inpaint");
    }

    @Test
    void superresTurnsTheUploadIntoALowResolutionStartAndUpsamplesIt() {
        browser.open(MODEL, "superres");
        assertEquals("4", browser.param("factor").getDomProperty("value"), "factor defaults to 4 on 28×28");
        browser.upload(image("ankle boot"), "superres-start.png");
        assertTrue(browser.driver.findElement(By.id("original-caption")).getText().contains("7×7×1"),
                browser.driver.findElement(By.id("original-caption")).getText());
        browser.setParam("steps", "20");
        WebElement card = browser.runAndAwait(RUN);
        assertSucceeded(card);
        BufferedImage shot = browser.screenshot("superres");
        assertChanged(shot, only(card, "img.result"), only(card, "img.start"), "superres");
    }

    @Test
    void translateMovesTheImageTowardTheTargetClass() {
        browser.open(MODEL, "translate");
        browser.upload(image("pullover"), "translate-start.png");
        browser.setParam("class", "bag");
        browser.setParam("steps", "20");
        WebElement card = browser.runAndAwait(RUN);
        assertSucceeded(card);
        BufferedImage shot = browser.screenshot("translate");
        assertChanged(shot, only(card, "img.result"), only(card, "img.start"), "translate");
    }

    @Test
    void sketchDrawnOnTheCanvasBecomesTheClass() {
        browser.open(MODEL, "sketch");
        browser.mode("draw");
        browser.drag(new int[]{-50, -110}, new int[]{-60, 110});
        browser.drag(new int[]{50, -110}, new int[]{60, 110});
        browser.drag(new int[]{-50, -110}, new int[]{50, -110});
        browser.setParam("class", "trouser");
        browser.setParam("steps", "20");
        WebElement card = browser.runAndAwait(RUN);
        assertSucceeded(card);
        BufferedImage shot = browser.screenshot("sketch");
        assertChanged(shot, only(card, "img.result"), only(card, "img.start"), "sketch");
    }

    @Test
    void livePreviewsChangeWhileATaskRunsAndCancelEndsIt() {
        browser.open(MODEL, "generate");
        browser.setParam("class", "sneaker");
        browser.setParam("count", "16");
        browser.setParam("steps", "1000");
        browser.setParam("stopAt", "1");
        assertTrue(browser.driver.findElement(By.id("live")).isSelected(), "live previews are on by default");
        browser.driver.findElement(By.id("live-every")).clear();
        browser.driver.findElement(By.id("live-every")).sendKeys("5");
        int before = browser.cards();
        browser.driver.findElement(By.id("submit")).click();

        Set<String> seen = new HashSet<>();
        PlaygroundBrowser.waitUntil(RUN, () -> {
            List<WebElement> previews = browser.driver.findElements(By.cssSelector("#previews img.preview"));
            if (previews.size() == 4) {
                seen.add(previews.getFirst().getDomAttribute("src"));
            }
            return seen.size() >= 2;
        });
        assertEquals(before, browser.cards(), "the task is still running");
        assertTrue(browser.driver.findElement(By.id("cancel")).isEnabled());
        BufferedImage running = browser.screenshot("live-previews");
        List<WebElement> previews = browser.driver.findElements(By.cssSelector("#previews img.preview"));
        assertTrue(PlaygroundBrowser.regionDifference(running, previews.get(0), previews.get(1)) > CHANGED,
                "the four previews are different images");

        browser.driver.findElement(By.id("cancel")).click();
        PlaygroundBrowser.waitUntil(RUN, () -> browser.cards() > before);
        WebElement card = browser.driver.findElements(By.cssSelector("#gallery .result-card")).getFirst();
        assertEquals("CANCELLED", card.getDomAttribute("data-status"), card.getText());
        assertEquals("CANCELLED", browser.driver.findElement(By.id("run")).getDomAttribute("data-status"));
        assertTrue(browser.driver.findElement(By.id("run-state")).getText().startsWith("CANCELLED"),
                browser.driver.findElement(By.id("run-state")).getText());
        String error = browser.driver.findElement(By.id("error")).getText();
        assertTrue(error.startsWith("CANCELLED (run): ") && error.contains("control message"), error);
        int step = Integer.parseInt(browser.driver.findElement(By.id("previews")).getDomAttribute("data-step"));
        assertTrue(step < 1000, "cancelled before the end, last preview at step " + step);
        browser.screenshot("live-previews-cancelled");
    }

    @Test
    void aRefusedRequestShowsTheServicesCodeAndMessage() {
        browser.open(MODEL, "generate");
        browser.setParam("class", "bag");
        browser.setParam("eps", "-1");
        WebElement card = browser.runAndAwait(RUN);
        assertEquals("FAILED", card.getDomAttribute("data-status"));
        WebElement error = browser.driver.findElement(By.id("error"));
        assertTrue(error.isDisplayed());
        assertTrue(error.getText().startsWith("SCHEMA_VIOLATION (validate): "), error.getText());
        assertTrue(error.getText().contains("eps"), error.getText());
        BufferedImage shot = browser.screenshot("refused");
        assertTrue(PlaygroundBrowser.regionDifference(shot, error, browser.driver.findElement(By.id("params"))) > CHANGED,
                "the error box is drawn");
    }

    @Test
    void aThirdPartyPluginsTaskGetsAFormFromItsSchema() {
        browser.open(MODEL, ServiceTestResource.EXT_TYPE);
        WebElement probe = browser.param("probe");
        assertTrue(probe.isDisplayed());
        browser.upload(image("coat"), "ext-start.png");
        probe.clear();
        probe.sendKeys("[\"reject\"]");
        WebElement card = browser.runAndAwait(RUN);
        assertEquals("FAILED", card.getDomAttribute("data-status"));
        String error = browser.driver.findElement(By.id("error")).getText();
        assertTrue(error.startsWith("INVALID_PARAMETERS"), error);
        assertTrue(error.contains("asks to be rejected"), error);
        browser.screenshot("third-party");
    }
}
