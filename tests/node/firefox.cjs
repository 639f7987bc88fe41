// Runs a scenario of harness/engines.py in Debian's Firefox, over WebDriver BiDi.
// stdin: {executable, private, prefs, proxyPort, timeout, steps: [["goto", url] | ["eval", js, ...args]]}
// stdout: the eval steps' results, as a JSON list.
const puppeteer = require("puppeteer-core");

async function main() {
  const job = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: job.executable,
    headless: true,
    // Firefox's own remote settings go to services.settings.server only when this is set;
    // without it, to Mozilla's.
    env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: "1" },
    extraPrefsFirefox: {
      // Every host but loopback goes to the recording proxy, which answers nothing.
      "network.proxy.type": 1,
      "network.proxy.http": "127.0.0.1",
      "network.proxy.http_port": job.proxyPort,
      "network.proxy.ssl": "127.0.0.1",
      "network.proxy.ssl_port": job.proxyPort,
      "network.proxy.no_proxies_on": "127.0.0.1,localhost",
      "network.proxy.allow_hijacking_localhost": false,
      "services.settings.server": "http://127.0.0.1:9/v1", // closed: Firefox's, not the page's
      "browser.privatebrowsing.autostart": job.private,
      ...job.prefs,
    },
  });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(job.timeout);
    const results = [];
    for (const [kind, ...args] of job.steps) {
      if (kind === "goto") {
        await page.goto(args[0], { timeout: job.timeout });
      } else {
        const [source, ...values] = args; // as harness/engines.py's _script
        results.push(await page.evaluate(`(${source})(...${JSON.stringify(values)})`));
      }
    }
    process.stdout.write(JSON.stringify(results));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
