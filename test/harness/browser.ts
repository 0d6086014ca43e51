import { mkdirSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { REPO_ROOT } from './stockade-process.js';

/** Debian's Chromium (scripts/install-test-deps.sh installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/** Where the browser tests save screenshots; .gitignore keeps the folder out of the repository. */
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-output', 'console');

/**
 * Starts the system Chromium headless through puppeteer-core. `--no-sandbox`: the suite runs as
 * root, where Chromium refuses its sandbox.
 */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}
