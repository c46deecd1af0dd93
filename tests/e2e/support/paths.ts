import { resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../../..');
export const WEB_DIR = resolve(REPO, 'out/web');
export const RESULTS_DIR = resolve(REPO, 'test-results/e2e');
export const FIXTURES = resolve(REPO, 'tests/fixtures');
export const CHROMIUM = process.env.TRACEDECK_CHROMIUM ?? '/usr/bin/chromium';
