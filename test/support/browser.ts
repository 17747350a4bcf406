import { Browser, chromium, Page } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`), driven by playwright-core: no browser is ever
 * downloaded. `CHROMIUM_PATH` names another build.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Root in a container has no user namespace for Chromium's sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

/** What a page reported that should never happen: CSP violations and script errors. */
export interface PageTroubles {
  violations: string[];
  errors: string[];
}

/**
 * A page that records every Content-Security-Policy violation (the `securitypolicyviolation`
 * event, from a script Playwright injects outside the page's policy) and every script error.
 */
export async function watchedPage(
  browser: Browser,
): Promise<{ page: Page; troubles: PageTroubles }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const troubles: PageTroubles = { violations: [], errors: [] };
  await page.exposeFunction('reportViolation', (text: string) => troubles.violations.push(text));
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) =>
      window.reportViolation(event.violatedDirective + ' blocked ' + event.blockedURI +
        ' (' + event.sourceFile + ':' + event.lineNumber + ')'));`,
  });
  page.on('pageerror', (error) => troubles.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      troubles.violations.push(message.text());
    }
  });
  return { page, troubles };
}
