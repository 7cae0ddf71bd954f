package io.tollgate.admin.browser;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.tollgate.admin.AdminTestApplication;
import io.tollgate.admin.AdminTestSupport;
import io.tollgate.billing.admin.ConsoleUsers;
import io.tollgate.billing.key.ApiKeys;
import io.tollgate.billing.secondfactor.TotpCodes;
import io.tollgate.billing.testsupport.ExternalServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in real headless Chromium (Debian's package, with its chromedriver; nothing
 * is downloaded): log in, issue a key, create a group and an account, put the account in
 * the group, look at usage and download an export; set up two-step login with the QR page
 * and log in again with a code computed here. Screenshots of each step are kept under
 * {@code target/browser-screenshots}.
 */
@SpringBootTest(classes = AdminTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ConsoleBrowserIntegrationTests {

	static final Path CHROMIUM = Path.of(System.getProperty("tollgate.chromium", "/usr/bin/chromium"));

	static final Path CHROMEDRIVER = Path.of(System.getProperty("tollgate.chromedriver", "/usr/bin/chromedriver"));

	static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");

	static WebDriver browser;

	static Path downloads;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		AdminTestSupport.register(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	DatabaseClient db;

	@Autowired
	ConsoleUsers users;

	@Autowired
	PasswordEncoder passwords;

	@BeforeAll
	static void chromium() throws IOException {
		if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
			ExternalServices.unavailable("Chromium: " + CHROMIUM + " or " + CHROMEDRIVER
					+ " is missing (apt-get install chromium chromium-driver)");
		}
		downloads = Files.createTempDirectory("tollgate-downloads");
		Files.createDirectories(SCREENSHOTS);
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1400,1000");
		Map<String, Object> prefs = new HashMap<>();
		prefs.put("download.default_directory", downloads.toAbsolutePath().toString());
		prefs.put("download.prompt_for_download", false);
		options.setExperimentalOption("prefs", prefs);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		browser = new ChromeDriver(service, options);
		browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
	}

	@AfterAll
	static void quit() {
		if (browser != null) {
			browser.quit();
		}
	}

	@Test
	void anAdminRunsTheConsoleEndToEnd() throws Exception {
		int usage = insertUsage();

		open("/admin");
		assertThat(browser.getCurrentUrl()).endsWith("/admin/login");
		screenshot("01-login");
		browser.findElement(By.id("username")).sendKeys(AdminTestSupport.ADMIN);
		browser.findElement(By.id("password")).sendKeys(AdminTestSupport.PASSWORD);
		submit(browser.findElement(By.id("login")));
		assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("Last 14 days");
		// requests, tokens, cost, errors, and the prompt-cache hit rate
		assertThat(browser.findElements(By.cssSelector("svg.chart"))).hasSize(5);
		assertThat(browser.findElement(By.id("cache-hit-rate")).getText()).endsWith("%");
		screenshot("02-dashboard");

		open("/admin/keys");
		WebElement issue = browser.findElement(By.id("issue-key"));
		new Select(issue.findElement(By.name("tenantId"))).selectByVisibleText("acme");
		issue.findElement(By.name("name")).sendKeys("browser-key");
		issue.findElement(By.name("allowedModels")).sendKeys("claude-sonnet-4-5, claude-haiku-4-5");
		issue.findElement(By.name("rpmLimit")).sendKeys("60");
		submit(issue.findElement(By.cssSelector("button[type=submit]")));
		String secret = browser.findElement(By.id("secret")).getText().trim();
		assertThat(secret).startsWith(ApiKeys.PREFIX).hasSize(43);
		assertThat(browser.findElement(By.id("snippet-claude")).getText())
			.contains("ANTHROPIC_BASE_URL=http://127.0.0.1:" + this.port)
			.contains("ANTHROPIC_AUTH_TOKEN=" + secret);
		assertThat(browser.findElement(By.id("snippet-curl")).getText()).contains("x-api-key: " + secret);
		assertThat(count(
				"SELECT COUNT(*) FROM api_key WHERE key_hash = '" + ApiKeys.hash(secret) + "' AND rpm_limit = 60"))
			.isOne();
		screenshot("03-key-issued");

		open("/admin/groups");
		WebElement group = browser.findElement(By.id("create-group"));
		group.findElement(By.name("name")).sendKeys("browser-group");
		new Select(group.findElement(By.name("platform"))).selectByVisibleText("openai");
		group.findElement(By.name("multiplier")).clear();
		group.findElement(By.name("multiplier")).sendKeys("1.25");
		submit(group.findElement(By.cssSelector("button[type=submit]")));
		assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Group browser-group");
		WebElement mapping = browser.findElement(By.id("modelMapping"));
		mapping.sendKeys("claude-* = gpt-4.1\n* = gpt-4.1-mini");
		submit(browser.findElement(By.cssSelector("#group-settings button[type=submit]")));
		assertThat(browser.findElement(By.id("modelMapping")).getText()).contains("claude-* = gpt-4.1");
		String groupUrl = browser.getCurrentUrl();

		open("/admin/accounts");
		WebElement account = browser.findElement(By.id("create-account"));
		account.findElement(By.name("name")).sendKeys("browser-account");
		new Select(account.findElement(By.name("platform"))).selectByVisibleText("openai");
		account.findElement(By.name("baseUrl")).clear();
		account.findElement(By.name("baseUrl")).sendKeys("http://127.0.0.1:9/v1");
		account.findElement(By.name("credential")).sendKeys("sk-browser-credential-9876");
		submit(account.findElement(By.cssSelector("button[type=submit]")));
		assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("Account browser-account");
		assertThat(browser.getPageSource()).doesNotContain("sk-browser-credential-9876").contains("••••9876");
		screenshot("04-account");

		browser.get(groupUrl);
		WebElement member = browser.findElement(By.id("add-member"));
		new Select(member.findElement(By.name("accountId"))).selectByVisibleText("browser-account");
		member.findElement(By.name("priority")).sendKeys("1");
		submit(member.findElement(By.cssSelector("button[type=submit]")));
		assertThat(browser.findElement(By.id("members")).getText()).contains("browser-account");
		screenshot("05-group");

		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		open("/admin/usage?from=" + today.minusDays(1) + "&to=" + today);
		assertThat(browser.findElement(By.id("usage-requests")).getText()).isEqualTo(Integer.toString(usage));
		assertThat(browser.findElements(By.cssSelector("#usage tr"))).hasSize(1 + usage);
		screenshot("06-usage");

		browser.findElement(By.id("export-aggregates")).click();
		Path csv = awaitDownload();
		List<String> lines = Files.readAllLines(csv);
		assertThat(lines.get(0)).startsWith("day,tenant_id,tenant,model,requests");
		assertThat(lines).hasSizeGreaterThan(1);
		Files.copy(csv, SCREENSHOTS.resolve("07-export.csv"), StandardCopyOption.REPLACE_EXISTING);

		open("/admin/audit");
		assertThat(browser.findElement(By.id("audit")).getText()).contains("key.issue")
			.contains("group.create")
			.contains("account.create")
			.contains("group.member.put")
			.contains("export.aggregates");
		screenshot("08-audit");
	}

	@Test
	void anAdminSetsUpTwoStepLoginAndLogsInWithACode() throws Exception {
		String password = "browser-totp-password";
		this.users.create("browser-totp", this.passwords.encode(password), "admin", "test")
			.block(Duration.ofSeconds(10));
		browser.manage().deleteAllCookies();
		open("/admin/login");
		browser.findElement(By.id("username")).sendKeys("browser-totp");
		browser.findElement(By.id("password")).sendKeys(password);
		submit(browser.findElement(By.id("login")));
		submit(browser.findElement(By.id("security-link")));
		assertThat(browser.findElement(By.id("totp-status")).getText()).startsWith("Off");
		submit(browser.findElement(By.cssSelector("#enrol-totp button")));
		assertThat(browser.findElement(By.id("totp-qr")).isDisplayed()).isTrue();
		String secret = browser.findElement(By.id("totp-secret")).getText().trim();
		assertThat(browser.findElement(By.id("totp-uri")).getText()).startsWith("otpauth://totp/Tollgate:browser-totp?")
			.contains("secret=" + secret);
		screenshot("09-totp-enrol");
		browser.findElement(By.cssSelector("#confirm-totp input[name=code]")).sendKeys(code(secret, 0));
		submit(browser.findElement(By.cssSelector("#confirm-totp button")));
		assertThat(browser.findElements(By.cssSelector("#recovery-codes li"))).hasSize(10);
		assertThat(browser.findElement(By.id("totp-status")).getText()).startsWith("On since");
		screenshot("10-totp-recovery-codes");
		submit(browser.findElement(By.id("logout")));

		open("/admin/login");
		browser.findElement(By.id("username")).sendKeys("browser-totp");
		browser.findElement(By.id("password")).sendKeys(password);
		submit(browser.findElement(By.id("login")));
		assertThat(browser.getCurrentUrl()).endsWith("/admin/login/code");
		// the password alone opens nothing
		open("/admin/tenants");
		assertThat(browser.getCurrentUrl()).endsWith("/admin/login");
		open("/admin/login/code");
		screenshot("11-totp-code-step");
		browser.findElement(By.id("code")).sendKeys(code(secret, 1));
		submit(browser.findElement(By.id("verify")));
		assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("Last 14 days");
		submit(browser.findElement(By.id("logout")));
	}

	private static String code(String secret, int offset) {
		return TotpCodes.code(secret, TotpCodes.step(Instant.now()) + offset);
	}

	private int insertUsage() {
		Instant now = Instant.now();
		int rows = 7;
		for (int i = 0; i < rows; i++) {
			this.db
				.sql("""
						INSERT INTO usage_record (request_id, tenant_id, key_id, group_id, requested_model, stream,
						    input_tokens, output_tokens, list_cost, charged_cost, outcome, http_status, latency_ms, started_at)
						SELECT :id, k.tenant_id, k.id, k.group_id, 'claude-sonnet-4-5', TRUE, 1000, 200, :cost, :cost,
						    :outcome, 200, 420, :at FROM api_key k WHERE k.name = 'default'""")
				.bind("id", "browser-" + i)
				.bind("cost", new BigDecimal("0.0123"))
				.bind("outcome", (i == 0) ? "upstream_error" : "ok")
				.bind("at", now.minusSeconds(60L * i).atOffset(ZoneOffset.UTC))
				.then()
				.block(Duration.ofSeconds(10));
		}
		return rows;
	}

	private Path awaitDownload() throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() < deadline) {
			try (Stream<Path> files = Files.list(downloads)) {
				List<Path> done = files.filter((f) -> f.toString().endsWith(".csv")).toList();
				if (!done.isEmpty()) {
					return done.get(0);
				}
			}
			Thread.sleep(100);
		}
		throw new AssertionError("No CSV was downloaded into " + downloads);
	}

	/**
	 * Clicks a button that loads another page, and waits until it has replaced this one.
	 */
	private static void submit(WebElement button) {
		WebElement page = browser.findElement(By.tagName("html"));
		button.click();
		new WebDriverWait(browser, Duration.ofSeconds(15)).until((driver) -> {
			try {
				page.isEnabled();
				return false;
			}
			catch (StaleElementReferenceException | NoSuchElementException ex) {
				return true;
			}
			catch (WebDriverException ex) {
				// Chromium says so while it tears the old document down
				return String.valueOf(ex.getMessage()).contains("does not belong to the document");
			}
		});
	}

	private void open(String path) {
		browser.get("http://127.0.0.1:" + this.port + path);
	}

	private long count(String sql) {
		return this.db.sql(sql).map((row) -> ((Number) row.get(0)).longValue()).one().block(Duration.ofSeconds(10));
	}

	private static void screenshot(String name) throws IOException {
		File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
		Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
	}

}
