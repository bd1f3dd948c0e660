package dev.robustsynth.service.playground;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (both paths given, so Selenium Manager never
 * runs), with the page operations and screenshot checks the playground tests share.
 */
final class PlaygroundBrowser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target/playground");

    final ChromeDriver driver;
    private final String root;

    private PlaygroundBrowser(ChromeDriver driver, String root) {
        this.driver = driver;
        this.root = root;
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    static PlaygroundBrowser start(String root) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1500,1250", "--force-device-scale-factor=1", "--disable-extensions",
                "--no-first-run", "--disable-background-networking");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new PlaygroundBrowser(driver, root);
    }

    /** Opens the page and picks a model and a task once the page has loaded both lists. */
    void open(String model, String task) {
        driver.get(root);
        try {
            waitUntil(Duration.ofSeconds(20), () -> "true".equals(
                    driver.findElement(By.tagName("body")).getDomAttribute("data-ready")));
        } catch (AssertionError e) {
            throw new AssertionError("the page did not get ready: " + script(
                    "return (document.body.dataset.error || '') + ' / status: ' + document.getElementById('status')"
                            + ".textContent + ' / error box: ' + document.getElementById('error').textContent;"), e);
        }
        new Select(driver.findElement(By.id("model"))).selectByValue(model);
        new Select(driver.findElement(By.id("task"))).selectByValue(task);
        waitUntil(Duration.ofSeconds(10), () -> driver.findElement(By.id("task-title")).getText().startsWith(task + " "));
    }

    WebElement param(String name) {
        return driver.findElement(By.cssSelector("[data-param='" + name + "']"));
    }

    void setParam(String name, String value) {
        WebElement e = param(name);
        if (e.getTagName().equals("select")) {
            new Select(e).selectByValue(value);
        } else {
            e.clear();
            e.sendKeys(value);
        }
    }

    void upload(byte[] png, String name) {
        try {
            Path file = Files.createDirectories(SHOTS).resolve(name);
            Files.write(file, png);
            driver.findElement(By.id("upload")).sendKeys(file.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        waitUntil(Duration.ofSeconds(10), () -> driver.findElement(By.id("original-figure")).isDisplayed());
    }

    void mode(String mode) {
        driver.findElement(By.cssSelector("input[name=mode][value=" + mode + "]")).click();
    }

    /** A pointer drag over the board through the given points (pixels from the board's centre). */
    void drag(int[]... points) {
        WebElement board = driver.findElement(By.id("board"));
        Actions a = new Actions(driver).moveToElement(board, points[0][0], points[0][1]).clickAndHold();
        for (int i = 1; i < points.length; i++) {
            a.moveByOffset(points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]);
        }
        a.release().perform();
    }

    int cards() {
        return driver.findElements(By.cssSelector("#gallery .result-card")).size();
    }

    /** Runs the form and waits for its card in the gallery; returns the card. */
    WebElement runAndAwait(Duration timeout) {
        int before = cards();
        driver.findElement(By.id("submit")).click();
        waitUntil(timeout, () -> cards() > before);
        return driver.findElements(By.cssSelector("#gallery .result-card")).getFirst();
    }

    int progressEvents() {
        return Integer.parseInt(driver.findElement(By.id("progress")).getDomAttribute("data-events"));
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Waits until every image of the page has loaded (results arrive as data URLs). */
    void awaitImages() {
        waitUntil(Duration.ofSeconds(10), () -> Boolean.TRUE.equals(script(
                "return [...document.images].every(i => !i.src || (i.complete && i.naturalWidth > 0));")));
    }

    /** Saves a screenshot under target/playground and checks the page is not blank; returns it. */
    BufferedImage screenshot(String name) {
        awaitImages();
        script("window.scrollTo(0, 0);");
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        try {
            Files.createDirectories(SHOTS);
            Files.write(SHOTS.resolve(name + ".png"), png);
            BufferedImage shot = ImageIO.read(new ByteArrayInputStream(png));
            assertNotBlank(shot, name);
            return shot;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertNotBlank(BufferedImage shot, String name) {
        Set<Integer> colours = new HashSet<>();
        double sum = 0, sumSq = 0;
        int n = 0;
        for (int y = 0; y < shot.getHeight(); y += 3) {
            for (int x = 0; x < shot.getWidth(); x += 3) {
                int rgb = shot.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                double grey = ((rgb >> 16 & 255) + (rgb >> 8 & 255) + (rgb & 255)) / 3.0;
                sum += grey;
                sumSq += grey * grey;
                n++;
            }
        }
        double sd = Math.sqrt(sumSq / n - (sum / n) * (sum / n));
        assertTrue(colours.size() > 50 && sd > 10, name + ": the screenshot looks blank (" + colours.size()
                + " colours, grey standard deviation " + sd + ")");
    }

    /**
     * The mean absolute grey difference, in levels 0–255, between two elements' regions of a screenshot, both
     * sampled on a 28 × 28 grid (the model's pixel centres, so images of different display sizes compare).
     */
    static double regionDifference(BufferedImage shot, WebElement a, WebElement b) {
        double[] ga = grid(shot, a.getRect());
        double[] gb = grid(shot, b.getRect());
        double d = 0;
        for (int i = 0; i < ga.length; i++) {
            d += Math.abs(ga[i] - gb[i]);
        }
        return d / ga.length;
    }

    private static double[] grid(BufferedImage shot, Rectangle r) {
        int g = 28;
        double[] out = new double[g * g];
        for (int j = 0; j < g; j++) {
            for (int i = 0; i < g; i++) {
                int x = Math.min(shot.getWidth() - 1, r.x + (int) ((i + 0.5) * r.width / g));
                int y = Math.min(shot.getHeight() - 1, r.y + (int) ((j + 0.5) * r.height / g));
                int rgb = shot.getRGB(x, y);
                out[j * g + i] = ((rgb >> 16 & 255) + (rgb >> 8 & 255) + (rgb & 255)) / 3.0;
            }
        }
        return out;
    }

    static void waitUntil(Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    List<WebElement> all(WebElement in, String css) {
        return in.findElements(By.cssSelector(css));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
