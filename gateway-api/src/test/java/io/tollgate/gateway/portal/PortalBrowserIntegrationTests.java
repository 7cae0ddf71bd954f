package io.tollgate.gateway.portal;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;
import io.tollgate.billing.admin.Tenant;
import io.tollgate.billing.admin.TenantAdmin;
import io.tollgate.billing.key.ApiKeys;
import io.tollgate.billing.secondfactor.TotpCodes;
import io.tollgate.billing.testsupport.ExternalServices;
import io.tollgate.billing.tenantuser.TenantUser;
import io.tollgate.billing.tenantuser.TenantUsers;
import io.tollgate.gateway.GatewayTestSupport;
import io.tollgate.gateway.TollgateApplication;
import io.tollgate.gateway.fake.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.PageLoadStrategy;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tenant portal in real headless Chromium against the whole gateway and a fake
 * upstream: an admin creates a tenant owner and a batch of redemption codes; the owner
 * sets a password through the one-time link, creates a key, makes a real
 * {@code /v1/messages} call with it, finds the request with its cost breakdown, redeems a
 * code and sees the balance change, exports CSV, and points its notifications at a local
 * receiver (allowed by the operator's property) with a low-balance threshold and a signed
 * test that arrives; a second tenant's owner finds none of it, and sets up two-step login
 * and logs in with a code. Runs on PostgreSQL, as a deployment would. Screenshots are
 * kept under {@code target/portal-screenshots}.
 */
@SpringBootTest(classes = TollgateApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class PortalBrowserIntegrationTests {

	static final Path CHROMIUM = Path.of(System.getProperty("tollgate.chromium", "/usr/bin/chromium"));

	static final Path CHROMEDRIVER = Path.of(System.getProperty("tollgate.chromedriver", "/usr/bin/chromedriver"));

	static final Path SCREENSHOTS = Path.of("target", "portal-screenshots");

	static final String ADMIN_PASSWORD = "portal-browser-admin";

	static final String OWNER_PASSWORD = "owner-password-2026";

	static final FakeUpstream fake = FakeUpstream.start();

	static WebDriver browser;

	static Path downloads;

	static HttpServer receiver;

	static final List<String[]> received = new CopyOnWriteArrayList<>();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		GatewayTestSupport.register(registry, fake);
		ExternalServices.freshPostgresDatabase().register(registry);
		registry.add("tollgate.admin.password", () -> ADMIN_PASSWORD);
		// the tenant's webhook goes to a receiver on this machine, as an on-prem install
		// would allow
		registry.add("tollgate.alerts.poll-interval", () -> "200ms");
		registry.add("tollgate.alerts.tenant-webhooks.allow-http", () -> "true");
		registry.add("tollgate.alerts.tenant-webhooks.allowed-hosts", () -> "127.0.0.1");
	}

	@LocalServerPort
	int port;

	@Autowired
	DatabaseClient db;

	@Autowired
	TenantAdmin tenants;

	@Autowired
	TenantUsers users;

	@Autowired
	PasswordEncoder passwords;

	@BeforeAll
	static void chromium() throws IOException {
		if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
			ExternalServices.unavailable("Chromium: " + CHROMIUM + " or " + CHROMEDRIVER
					+ " is missing (apt-get install chromium chromium-driver)");
		}
		downloads = Files.createTempDirectory("tollgate-portal-downloads");
		Files.createDirectories(SCREENSHOTS);
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1400,1000");
		Map<String, Object> prefs = new HashMap<>();
		prefs.put("download.default_directory", downloads.toAbsolutePath().toString());
		prefs.put("download.prompt_for_download", false);
		options.setExperimentalOption("prefs", prefs);
		// the page is usable once its document is parsed; under a loaded CI machine
		// waiting
		// for every stylesheet as well only adds time
		options.setPageLoadStrategy(PageLoadStrategy.EAGER);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		browser = new ChromeDriver(service, options);
		browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
		browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(120));
		receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		receiver.createContext("/hook", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			received.add(new String[] { exchange.getRequestHeaders().getFirst("Tollgate-Webhook-Timestamp"),
					exchange.getRequestHeaders().getFirst("Tollgate-Webhook-Signature"), body });
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		receiver.start();
	}

	@AfterAll
	static void quit() {
		if (browser != null) {
			browser.quit();
		}
		if (receiver != null) {
			receiver.stop(0);
		}
		fake.close();
	}

	@Test
	void anInvitedOwnerRunsItsTenantFromThePortal() throws Exception {
		// the admin: a portal owner for acme, and a batch of codes
		open("/admin/login");
		browser.findElement(By.id("username")).sendKeys("admin");
		browser.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD);
		submit(browser.findElement(By.id("login")));
		open("/admin/portal");
		new Select(browser.findElement(By.name("tenantId"))).selectByVisibleText("acme");
		submit(browser.findElement(By.cssSelector("form[method=get] button")));
		WebElement create = browser.findElement(By.id("create-tenant-user"));
		create.findElement(By.name("login")).sendKeys("owner@acme.test");
		submit(create.findElement(By.cssSelector("button[type=submit]")));
		String link = browser.findElement(By.id("invite-link")).getText().trim();
		assertThat(link).startsWith("http://127.0.0.1:" + this.port + "/portal/welcome/tgl-");
		screenshot("01-admin-invites-owner");
		open("/admin/portal");
		WebElement codes = browser.findElement(By.id("generate-codes"));
		codes.findElement(By.name("batch")).sendKeys("launch");
		codes.findElement(By.name("count")).clear();
		codes.findElement(By.name("count")).sendKeys("3");
		codes.findElement(By.name("amount")).sendKeys("25");
		codes.findElement(By.cssSelector("button[type=submit]")).click();
		List<String> codeLines = Files.readAllLines(awaitDownload("codes-launch.csv"));
		assertThat(codeLines).hasSize(4);
		assertThat(codeLines.get(0)).isEqualTo("batch,code,amount,expires_at");
		String code = codeLines.get(1).split(",")[1];
		assertThat(code).startsWith("TGR-");
		assertThat(count("SELECT COUNT(*) FROM redemption_code WHERE code_hash = '" + ApiKeys.hash(code) + "'"))
			.isOne();

		// the owner sets a password through the link and logs in
		browser.get(link);
		assertThat(browser.findElement(By.id("welcome-login")).getText()).isEqualTo("owner@acme.test");
		browser.findElement(By.id("password")).sendKeys(OWNER_PASSWORD);
		browser.findElement(By.id("confirm")).sendKeys(OWNER_PASSWORD);
		screenshot("02-set-password");
		submit(browser.findElement(By.id("save-password")));
		assertThat(browser.findElement(By.id("welcome")).isDisplayed()).isTrue();
		portalLogin("owner@acme.test", OWNER_PASSWORD);
		BigDecimal before = new BigDecimal(browser.findElement(By.id("balance")).getText());

		// a key of its own, in the group with multiplier 2
		open("/portal/keys");
		WebElement form = browser.findElement(By.id("create-key"));
		form.findElement(By.name("name")).sendKeys("laptop");
		new Select(form.findElement(By.name("groupId"))).selectByVisibleText("pool");
		submit(form.findElement(By.cssSelector("button[type=submit]")));
		String secret = browser.findElement(By.id("secret")).getText().trim();
		assertThat(secret).startsWith(ApiKeys.PREFIX);
		assertThat(browser.findElement(By.id("snippet-claude")).getText())
			.contains("ANTHROPIC_BASE_URL=http://127.0.0.1:" + this.port)
			.contains(secret);
		screenshot("03-key-created");

		// a real call through the gateway with it
		HttpClient http = HttpClient.newHttpClient();
		HttpRequest call = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/messages"))
			.header("x-api-key", secret)
			.header("anthropic-version", "2023-06-01")
			.header("content-type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(
					"{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Hello from the portal test\"}]}"))
			.build();
		HttpResponse<String>[] answer = new HttpResponse[1];
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			answer[0] = http.send(call, HttpResponse.BodyHandlers.ofString());
			assertThat(answer[0].statusCode()).isEqualTo(200);
		});
		String requestId = answer[0].headers().firstValue("request-id").orElseThrow();

		// the request, its cost breakdown
		await().atMost(Duration.ofSeconds(20))
			.until(() -> count("SELECT COUNT(*) FROM usage_record WHERE request_id = '" + requestId + "'") == 1);
		open("/portal/usage");
		assertThat(browser.findElement(By.id("usage-requests")).getText()).isEqualTo("1");
		browser.findElement(By.cssSelector("details.breakdown summary")).click();
		assertThat(browser.findElement(By.cssSelector("details.breakdown")).getText()).contains("balance");
		screenshot("04-usage");
		submit(browser.findElement(By.cssSelector("a.breakdown-link")));
		assertThat(browser.findElement(By.id("multiplier")).getText()).isEqualTo("2");
		BigDecimal list = new BigDecimal(browser.findElement(By.id("list-cost")).getText());
		BigDecimal charged = new BigDecimal(browser.findElement(By.id("charged-cost")).getText());
		assertThat(list.signum()).isPositive();
		assertThat(charged).isEqualByComparingTo(list.multiply(BigDecimal.valueOf(2)));
		assertThat(browser.findElement(By.id("price-version")).getText()).isEqualTo("claude-*");
		assertThat(browser.findElement(By.id("breakdown")).getText()).contains("input").contains("output");
		assertThat(browser.findElement(By.id("paid-by")).getText()).contains("balance");
		screenshot("05-cost-breakdown");

		// a code redeemed once: the balance moves by its amount
		open("/portal/ledger");
		BigDecimal afterCall = new BigDecimal(browser.findElement(By.id("balance")).getText());
		assertThat(afterCall).isEqualByComparingTo(before.subtract(charged));
		browser.findElement(By.cssSelector("#redeem input[name=code]")).sendKeys(code.toLowerCase());
		submit(browser.findElement(By.cssSelector("#redeem button")));
		assertThat(browser.findElement(By.id("redeemed")).getText()).contains("25");
		assertThat(new BigDecimal(browser.findElement(By.id("balance")).getText()))
			.isEqualByComparingTo(afterCall.add(new BigDecimal("25")));
		assertThat(browser.findElement(By.id("ledger")).getText()).contains("topup").contains("Redeemed code");
		screenshot("06-ledger-after-redemption");
		browser.findElement(By.cssSelector("#redeem input[name=code]")).sendKeys(code);
		submit(browser.findElement(By.cssSelector("#redeem button")));
		assertThat(browser.findElement(By.id("error-message")).getText()).contains("already redeemed");

		// the overview, and the exports
		open("/portal");
		assertThat(browser.findElement(By.id("top-keys")).getText()).contains("laptop");
		assertThat(browser.findElements(By.cssSelector("svg.chart"))).hasSize(2);
		screenshot("07-overview");
		open("/portal/usage");
		browser.findElement(By.id("export-usage")).click();
		List<String> usage = Files.readAllLines(awaitDownload("usage.csv"));
		assertThat(usage.get(0)).startsWith("request_id,started_at,key_id,key");
		assertThat(usage).hasSize(2);
		assertThat(usage.get(1)).startsWith(requestId).contains("laptop");
		browser.findElement(By.id("export-ledger")).click();
		List<String> ledger = Files.readAllLines(awaitDownload("ledger.csv"));
		assertThat(String.join("\n", ledger)).contains("Redeemed code").contains(requestId);

		// the key reads its own standing on /v1/usage
		HttpResponse<String> standing = http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/usage"))
				.header("x-api-key", secret)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(standing.statusCode()).isEqualTo(200);
		JsonNode body = JsonMapper.builder().build().readTree(standing.body());
		assertThat(body.get("tenant").asString()).isEqualTo("acme");
		assertThat(body.get("key").get("name").asString()).isEqualTo("laptop");
		assertThat(new BigDecimal(body.get("key").get("spent").asString())).isEqualByComparingTo(charged);
		assertThat(standing.body()).doesNotContain("e2e").doesNotContain("failover");

		// notifications: a webhook to a receiver, a low-balance threshold, a signed test
		// delivered
		open("/portal/notifications");
		WebElement webhook = browser.findElement(By.id("create-endpoint"));
		webhook.findElement(By.name("url")).sendKeys("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
		submit(webhook.findElement(By.cssSelector("button[type=submit]")));
		String signingSecret = browser.findElement(By.id("secret")).getText().trim();
		assertThat(signingSecret).startsWith("whsec_");
		screenshot("08-webhook-secret");
		submit(browser.findElement(By.id("back")));
		assertThat(browser.getPageSource()).doesNotContain(signingSecret);
		WebElement lowBalance = browser.findElement(By.id("low-balance"));
		lowBalance.findElement(By.name("threshold")).sendKeys("5");
		submit(lowBalance.findElement(By.cssSelector("button[type=submit]")));
		assertThat(browser.findElement(By.id("low-balance-now")).getText())
			.isEqualTo("Alert when the balance falls below 5, posted to webhook.");
		submit(browser.findElement(By.cssSelector("#endpoints button.send-test")));
		assertThat(browser.findElement(By.id("tested")).isDisplayed()).isTrue();
		// the low balance may fire too: the test is the delivery whose type is test
		String[] webhookCall = await().atMost(Duration.ofSeconds(20))
			.until(() -> received.stream().filter((hook) -> hook[2].contains("\"type\":\"test\"")).findFirst(),
					java.util.Optional::isPresent)
			.orElseThrow();
		assertThat(webhookCall[1]).isEqualTo("v1=" + hmac(signingSecret, webhookCall[0] + "." + webhookCall[2]));
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			open("/portal/notifications");
			return browser.findElements(By.cssSelector("#deliveries tr"))
				.stream()
				.map(WebElement::getText)
				.anyMatch((row) -> row.contains(" test ") && row.contains("delivered") && row.contains("204"));
		});
		((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()",
				browser.findElement(By.id("low-balance-now")));
		screenshot("09-notifications");

		// another tenant's owner finds none of it
		String keyUrl = browser.getCurrentUrl();
		long keyId = count("SELECT id FROM api_key WHERE name = 'laptop'");
		Tenant other = this.tenants.create(Tenant.Form.named("initech"), "test").block(Duration.ofSeconds(10));
		TenantUser.Invited invited = this.users.create(other.id(), "owner@initech.test", "owner", "test")
			.block(Duration.ofSeconds(10));
		this.users.setPassword(invited.token(), this.passwords.encode(OWNER_PASSWORD)).block(Duration.ofSeconds(10));
		submit(browser.findElement(By.id("logout")));
		portalLogin("owner@initech.test", OWNER_PASSWORD);
		for (String path : List.of("/portal/usage/" + requestId, "/portal/keys/" + keyId)) {
			open(path);
			assertThat(browser.findElement(By.id("error-message")).getText()).as(path).contains("not found");
			assertThat(browser.getPageSource()).doesNotContain("laptop");
		}
		open("/portal/usage?from=2000-01-01");
		assertThat(browser.findElement(By.id("usage-requests")).getText()).isEqualTo("0");
		screenshot("10-other-tenant-sees-nothing");
		open("/portal/notifications");
		assertThat(browser.findElement(By.id("endpoints")).getText()).contains("No webhook yet")
			.doesNotContain("127.0.0.1");
		assertThat(browser.findElement(By.id("deliveries")).getText()).contains("No deliveries yet");
		assertThat(keyUrl).isNotBlank();

		// that owner sets up two-step login, and logs in again with a code
		submit(browser.findElement(By.id("security-link")));
		submit(browser.findElement(By.cssSelector("#enrol-totp button")));
		assertThat(browser.findElement(By.id("totp-qr")).isDisplayed()).isTrue();
		String totpSecret = browser.findElement(By.id("totp-secret")).getText().trim();
		assertThat(browser.findElement(By.id("totp-uri")).getText())
			.startsWith("otpauth://totp/Tollgate:owner%40initech.test?secret=" + totpSecret);
		screenshot("11-totp-enrol");
		browser.findElement(By.cssSelector("#confirm-totp input[name=code]")).sendKeys(totp(totpSecret, 0));
		submit(browser.findElement(By.cssSelector("#confirm-totp button")));
		assertThat(browser.findElements(By.cssSelector("#recovery-codes li"))).hasSize(10);
		submit(browser.findElement(By.id("logout")));
		open("/portal/login");
		browser.findElement(By.id("username")).sendKeys("owner@initech.test");
		browser.findElement(By.id("password")).sendKeys(OWNER_PASSWORD);
		submit(browser.findElement(By.id("login")));
		assertThat(browser.getCurrentUrl()).endsWith("/portal/login/code");
		open("/portal");
		assertThat(browser.getCurrentUrl()).endsWith("/portal/login");
		open("/portal/login/code");
		browser.findElement(By.id("code")).sendKeys(totp(totpSecret, 1));
		screenshot("12-totp-code-step");
		submit(browser.findElement(By.id("verify")));
		assertThat(browser.findElement(By.id("who")).getText()).startsWith("owner@initech.test");
	}

	private static String totp(String secret, int offset) {
		return TotpCodes.code(secret, TotpCodes.step(java.time.Instant.now()) + offset);
	}

	/** HMAC-SHA256 in hex, computed here from the algorithm's definition. */
	private static String hmac(String secret, String signed) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
	}

	private void portalLogin(String login, String password) {
		open("/portal/login");
		browser.findElement(By.id("username")).sendKeys(login);
		browser.findElement(By.id("password")).sendKeys(password);
		submit(browser.findElement(By.id("login")));
		assertThat(browser.findElement(By.id("who")).getText()).startsWith(login);
	}

	private Path awaitDownload(String name) throws Exception {
		Path file = downloads.resolve(name);
		for (int i = 0; i < 150; i++) {
			if (Files.exists(file) && Files.size(file) > 0) {
				try (Stream<Path> partial = Files.list(downloads)) {
					if (partial.noneMatch((p) -> p.toString().endsWith(".crdownload"))) {
						Path kept = SCREENSHOTS.resolve(name);
						Files.copy(file, kept, StandardCopyOption.REPLACE_EXISTING);
						Files.delete(file);
						return kept;
					}
				}
			}
			Thread.sleep(100);
		}
		throw new AssertionError("No " + name + " was downloaded into " + downloads);
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
