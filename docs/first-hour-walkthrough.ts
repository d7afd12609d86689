/**
 * The README's first hour, scripted: from an empty data folder, `npm start`, load the built
 * extension in Chromium, connect it in options, add the sandbox portal and the demo manager,
 * map a lock on the portal and book a Keycafe key from the popup — through the real UI only.
 * Prints each step with its time. Run: npx tsx docs/first-hour-walkthrough.ts [port]
 *
 * One shortcut: headless Chromium cannot click the browser's permission prompt, so the
 * extension is loaded from a copy whose manifest already holds http://127.0.0.1/* (as if the
 * user had accepted it); every click before and after the prompt is the user's.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { launchWithExtension } from '../test/e2e/helpers/extension.ts';
import { buildWithHostPermissions } from '../test/e2e/helpers/granted-build.ts';

const port = Number(process.argv[2] ?? 18787);
const dataDir = `/tmp/ab-first-hour-${port}`;
const steps: { step: string; seconds: number }[] = [];
let last = performance.now();
const done = (step: string) => {
  const now = performance.now();
  steps.push({ step, seconds: Math.round((now - last) / 100) / 10 });
  console.log(`${steps.length}. ${step}: ${((now - last) / 1000).toFixed(1)} s`);
  last = now;
};

rmSync(dataDir, { recursive: true, force: true });
const server = spawn('npm', ['start'], { env: { ...process.env, PORT: String(port), ACCESSBRIDGE_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
let output = '';
server.stdout.on('data', (d) => (output += d));
server.stderr.on('data', (d) => (output += d));
const stopServer = () => {
  try {
    process.kill(-server.pid!, 'SIGINT');
  } catch {}
};

try {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not finish in 5 min:\n${output}`)), 300_000);
    const check = setInterval(() => {
      if (/Started in \d+ ms/.test(output)) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 200);
    server.on('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
  });
  const apiUrl = output.match(/API:\s+(\S+)/)![1]!;
  const token = output.match(/API token:\s+(\S+)/)![1]!;
  const portalUrl = output.match(/tapkeyPortal\s+(\S+)/)![1]!;
  const managerUrl = output.match(/manager\s+(http\S+)/)![1]!;
  done('npm start from an empty data folder (builds the extension, starts API + sandbox, seeds the demo)');

  const build = await buildWithHostPermissions(['http://127.0.0.1/*']);
  const browser = await launchWithExtension({ extensionPath: build.path });
  done('Chromium with the extension loaded (Load unpacked → .output/chrome-mv3)');

  const options = await browser.context.newPage();
  await options.goto(browser.extensionUrl('/options.html'));
  await options.getByLabel('API URL', { exact: true }).fill(apiUrl);
  await options.getByLabel('API token', { exact: true }).fill(token);
  await options.getByRole('button', { name: 'Save', exact: true }).first().click();
  await options.getByRole('status').filter({ hasText: 'Connected to' }).waitFor();
  done('Options: paste API URL and token, Save → "Connected to …"');

  const location = options.getByLabel('Location', { exact: true });
  await location.locator('option', { hasText: 'Demo self-storage (sandbox)' }).waitFor({ state: 'attached' });
  await location.selectOption({ label: 'Demo self-storage (sandbox)' });
  await options.getByRole('status').filter({ hasText: 'Preferences saved.' }).waitFor();
  done('Options: choose the location "Demo self-storage (sandbox)"');

  await options.getByLabel('Another portal address', { exact: true }).fill(portalUrl);
  await options.getByRole('button', { name: 'Add address' }).click();
  await options.getByRole('status').filter({ hasText: 'AccessBridge now works on' }).waitFor();
  done('Options: add the sandbox Tapkey portal address');

  const sites = options.getByRole('region', { name: 'Manager sites', exact: true });
  await sites.getByRole('button', { name: 'Use the demo manager' }).click();
  const demo = sites.getByRole('region', { name: 'Demo manager (sandbox)' });
  await demo.getByRole('button', { name: 'Grant access to this site' }).click();
  await demo.getByText('Active: AccessBridge runs on the unit and booking pages of this site.').waitFor();
  await options.getByRole('region', { name: 'Get started' }).getByText('Step 4 of 4 done').waitFor();
  done('Options: "Use the demo manager" → "Grant access to this site"; guided setup shows 4 of 4');

  const portal = await browser.context.newPage();
  await portal.goto(portalUrl);
  await portal.getByRole('link', { name: 'Unit A-01' }).first().click();
  await portal.getByRole('button', { name: 'Map to Tapkey lock' }).click();
  const dialog = portal.getByRole('dialog', { name: 'Map “Unit A-01” to a unit' });
  await dialog.getByRole('region', { name: 'Suggested for this lock' }).getByRole('button', { name: /^A-01\b/ }).click();
  await portal.getByRole('status').filter({ hasText: 'Lock “Unit A-01” is now mapped to unit A-01.' }).waitFor();
  const mapping = await (await fetch(`${apiUrl}/v1/mappings?unitExternalId=U1000`, { headers: { authorization: `Bearer ${token}` } })).json();
  if (mapping.items?.length !== 1) throw new Error(`no mapping in the API: ${JSON.stringify(mapping)}`);
  done('Portal: open lock "Unit A-01" → "Map to Tapkey lock" → pick A-01 (mapping in the API)');

  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 800, height: 1600 });
  await popup.goto(browser.extensionUrl('/popup.html'));
  await popup.getByRole('button', { name: 'Grant Keycafe access' }).click();
  const booking = popup.getByRole('dialog', { name: 'Grant Keycafe access' });
  await booking.getByLabel('Find keys').fill('Elevator');
  await booking.getByRole('checkbox', { name: /Elevator lobby key/ }).check();
  await booking.getByLabel('Visitor’s email').fill('visitor@example.com');
  const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  await booking.getByLabel('Start date').fill(day);
  await booking.getByLabel('Start time').fill('09:00');
  await booking.getByLabel('End date').fill(day);
  await booking.getByLabel('End time').fill('17:00');
  await booking.getByRole('button', { name: 'Grant access' }).click();
  await popup.getByText(/booking code|Buchungscode|code de réservation/i).first().waitFor({ timeout: 60_000 });
  const bookings = await (await fetch(`${apiUrl}/v1/keycafe/bookings`, { headers: { authorization: `Bearer ${token}` } })).json();
  if (!JSON.stringify(bookings).includes('visitor@example.com')) throw new Error(`no Keycafe booking in the API: ${JSON.stringify(bookings).slice(0, 400)}`);
  done('Popup: "Grant Keycafe access" → key, visitor email, times → "Grant access" (booking in the API)');

  await browser.close();
  build.remove();
  const total = steps.reduce((s, x) => s + x.seconds, 0);
  console.log(`Total: ${total.toFixed(1)} s`);
} finally {
  stopServer();
}
