// @vitest-environment happy-dom
/**
 * The "Grant Keycafe access" dialog, driven like a user: by role and label. Every validation
 * message, every state of a booking after submit, and the API's field errors put beside the
 * fields they are about.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeycafeApiError } from '../../components/keycafe/api.ts';
import type { KeycafeBooking } from '../../lib/contract.ts';
import { createFakeApi, KEYS, NY_ACCOUNT } from './fake-api.ts';
import { renderDialog } from './render.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const WAIT = { timeout: 3000 };
const dialog = () => screen.getByRole('dialog', { name: 'Grant Keycafe access' });
const field = (label: string | RegExp) => screen.getByLabelText(label) as HTMLInputElement;
const type = (label: string | RegExp, value: string) => fireEvent.input(field(label), { target: { value } });
const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Grant access' }));

/** The message beside a control: the text of the element its aria-describedby names first. */
function errorOf(control: HTMLElement): string | null {
  const ids = control.getAttribute('aria-describedby')?.split(' ') ?? [];
  const error = ids.map((id) => document.getElementById(id)).find((el) => el?.classList.contains('ab-field-error'));
  return control.getAttribute('aria-invalid') === 'true' ? (error?.textContent ?? null) : null;
}

async function chooseKey(name: string) {
  const box = await screen.findByRole('checkbox', { name }, WAIT);
  fireEvent.click(box);
  await screen.findByRole('button', { name: `Remove ${name}` });
}

function setWindow(start: [string, string], end: [string, string]) {
  type('Start date', start[0]);
  type('Start time', start[1]);
  type('End date', end[0]);
  type('End time', end[1]);
}

async function fillValidOneTime(keyName = 'Unit A-01 – spare key') {
  await chooseKey(keyName);
  type('Visitor’s email', 'Visitor@Example.com');
  setWindow(['2030-05-06', '10:00'], ['2030-05-07', '18:00']);
}

describe('fields and labels', () => {
  it('is a labelled modal dialog whose every field has a label', async () => {
    renderDialog();
    expect(dialog().getAttribute('aria-modal')).toBe('true');
    for (const label of [
      'Find keys',
      'Visitor’s email',
      'Language of the visitor’s instructions',
      'Start date',
      'Start time',
      'End date',
      'End time',
      'Return key reminder',
      'Require visitor ID',
      'Number of visitors',
      'Photo verification',
      'Booking name (optional)',
    ])
      expect(field(label)).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'One-time' })).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'Ongoing' })).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: 'Mobile number (SMS)' }));
    expect(field('Country of the number').tagName).toBe('SELECT');
    expect(field('Visitor’s mobile number').type).toBe('tel');
    // Keycafe's languages, each in its own name.
    const languages = within(field('Language of the visitor’s instructions') as unknown as HTMLElement).getAllByRole('option').map((o) => o.getAttribute('value'));
    expect(languages).toEqual(['en', 'fr', 'ja', 'es', 'nl', 'it', 'pt']);
  });

  it('shows the key search loading, then results, an empty search, and a failure with "Search again"', async () => {
    const fake = createFakeApi();
    let release!: () => void;
    fake.state.holdSearch = new Promise<void>((r) => (release = r));
    renderDialog({ fake });
    expect(screen.getByText('Searching keys…')).toBeTruthy();
    release();
    fake.state.holdSearch = null;
    await screen.findByRole('checkbox', { name: 'Main entrance master key' }, WAIT);
    expect(within(screen.getByRole('list', { name: 'Matching keys' })).getAllByRole('checkbox')).toHaveLength(KEYS.length);

    type('Find keys', 'zeppelin');
    await screen.findByText('No key matches “zeppelin”.', undefined, WAIT);

    fake.state.searchError = 'The AccessBridge API cannot be reached';
    type('Find keys', 'unit');
    await screen.findByText('The keys could not be loaded: The AccessBridge API cannot be reached', undefined, WAIT);
    fake.state.searchError = null;
    fireEvent.click(screen.getByRole('button', { name: 'Search again' }));
    await screen.findByRole('checkbox', { name: 'Unit A-02 – spare key' }, WAIT);
  });

  it('says so when the account has no keys at all', async () => {
    renderDialog({ keys: [] });
    await screen.findByText('This Keycafe account has no keys yet', undefined, WAIT);
  });

  it('lets several keys be chosen and removed', async () => {
    renderDialog();
    await chooseKey('Unit A-01 – spare key');
    await chooseKey('Main entrance master key');
    expect(screen.getByRole('heading', { name: 'Chosen keys (2)' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove Unit A-01 – spare key' }));
    await screen.findByRole('heading', { name: 'Chosen keys (1)' });
  });
});

describe('validation beside the fields', () => {
  it('an empty form: a key and a recipient are required; focus moves to the first error', async () => {
    const { fake } = renderDialog();
    await screen.findByRole('checkbox', { name: 'Main entrance master key' }, WAIT);
    submit();
    await waitFor(() => expect(errorOf(field('Find keys'))).toBe('Choose at least one key'));
    expect(errorOf(field('Visitor’s email'))).toBe('Enter an email address or a mobile number');
    expect(document.activeElement).toBe(field('Find keys'));
    expect(screen.getByRole('alert').textContent).toBe('Some fields need attention: see the messages beside them.');
    expect(fake.api.createBooking).not.toHaveBeenCalled();
  });

  it('start and end are required for one-time access, and the end must be after the start', async () => {
    renderDialog();
    await chooseKey('Unit A-01 – spare key');
    type('Visitor’s email', 'visitor@example.com');
    setWindow(['', ''], ['', '']);
    submit();
    await waitFor(() => expect(errorOf(field('Start date'))).toBe('Enter the start date and time'));
    expect(errorOf(field('End date'))).toBe('Enter the end date and time');
    expect(document.activeElement).toBe(field('Start date'));

    setWindow(['2030-05-06', '10:00'], ['2030-05-06', '09:30']);
    submit();
    await waitFor(() => expect(errorOf(field('End date'))).toBe('End must be after start'));
    expect(errorOf(field('Start date'))).toBeNull();
    expect(document.activeElement).toBe(field('End date'));
  });

  it('a bad email, a mobile number without country code, one wrong for its country, a landline', async () => {
    renderDialog();
    await chooseKey('Unit A-01 – spare key');
    type('Visitor’s email', 'visitor@');
    submit();
    await waitFor(() => expect(errorOf(field('Visitor’s email'))).toBe('Not a valid email address'));
    expect(document.activeElement).toBe(field('Visitor’s email'));

    fireEvent.click(screen.getByRole('radio', { name: 'Mobile number (SMS)' }));
    type('Visitor’s mobile number', '0151 23456789');
    submit();
    await waitFor(() =>
      expect(errorOf(field('Visitor’s mobile number'))).toBe('Add the country code (for example +49 151 23456789) or choose the country of this number'),
    );

    fireEvent.change(field('Country of the number'), { target: { value: 'FR' } });
    type('Visitor’s mobile number', '0151 2345');
    submit();
    await waitFor(() => expect(errorOf(field('Visitor’s mobile number'))).toBe('Not a valid phone number for FR'));

    fireEvent.change(field('Country of the number'), { target: { value: '' } });
    type('Visitor’s mobile number', '+49 30 901820');
    submit();
    await waitFor(() => expect(errorOf(field('Visitor’s mobile number'))).toBe('This looks like a landline number: the visitor must be able to receive an SMS on it'));

    // A national number with its country is fine.
    fireEvent.change(field('Country of the number'), { target: { value: 'DE' } });
    type('Visitor’s mobile number', '0151 23456789');
    submit();
    await waitFor(() => expect(errorOf(field('Visitor’s mobile number'))).toBeNull());
  });

  it('a local time that does not exist on the SmartBox clock (spring forward) is refused', async () => {
    renderDialog();
    await fillValidOneTime();
    setWindow(['2030-03-31', '02:30'], ['2030-04-01', '10:00']);
    submit();
    await waitFor(() =>
      expect(errorOf(field('Start date'))).toBe('2030-03-31 02:30 does not exist in Europe/Berlin: the clocks go forward at that time'),
    );
  });

  it('keys in SmartBoxes of different time zones cannot share one one-time booking', async () => {
    renderDialog();
    await chooseKey('Unit A-01 – spare key');
    await chooseKey('Suite 1203 – guest set (2 keys + fob)');
    submit();
    await waitFor(() =>
      expect(errorOf(field('Find keys'))).toBe('These keys are in SmartBoxes in different time zones (Europe/Berlin, America/Vancouver); book them separately'),
    );
    expect(screen.getByText('The chosen keys are in SmartBoxes in different time zones.')).toBeTruthy();
  });

  it('keys of two Keycafe accounts cannot share one booking', async () => {
    renderDialog();
    await chooseKey('Unit A-01 – spare key');
    await chooseKey('Roof access key');
    submit();
    await waitFor(() => expect(errorOf(field('Find keys'))).toBe('These keys belong to different Keycafe accounts: book them separately'));
  });

  it('visitor checks: photo verification and several visitors need "Require visitor ID"; the count is 1–20', async () => {
    renderDialog();
    await fillValidOneTime();
    fireEvent.click(field('Photo verification'));
    type('Number of visitors', '3');
    submit();
    await waitFor(() =>
      expect(errorOf(field('Photo verification'))).toBe('Photo verification compares a selfie with the visitor ID: turn on "Require visitor ID" too'),
    );
    expect(errorOf(field('Number of visitors'))).toBe('The number of visitors is the number who upload an ID: turn on "Require visitor ID" too');
    expect(document.activeElement).toBe(field('Number of visitors'));

    fireEvent.click(field('Require visitor ID'));
    type('Number of visitors', '25');
    submit();
    await waitFor(() => expect(errorOf(field('Number of visitors'))).toBe('Enter a whole number from 1 to 20'));
    expect(errorOf(field('Photo verification'))).toBeNull();
    type('Number of visitors', '');
    submit();
    await waitFor(() => expect(errorOf(field('Number of visitors'))).toBe('Enter a whole number from 1 to 20'));
  });

  it("says plainly that visitor checks are not sent to Keycafe, and links to the Keycafe dashboard", async () => {
    renderDialog();
    const note = await screen.findByTestId('visitor-checks-note', {}, WAIT);
    expect(note.textContent).toMatch(/^Keycafe's API cannot set visitor ID, the number of visitors or photo verification for a booking\./);
    const link = within(note).getByRole('link', { name: 'Open the Keycafe dashboard' });
    expect(link.getAttribute('href')).toBe('https://www.keycafe.com/');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(document.body.textContent).not.toMatch(/asked to install|selfie is matched/);
  });

  it('a booking name longer than 200 characters', async () => {
    renderDialog();
    await fillValidOneTime();
    type('Booking name (optional)', 'x'.repeat(201));
    submit();
    await waitFor(() => expect(errorOf(field('Booking name (optional)'))).toBe('At most 200 characters'));
    expect(document.activeElement).toBe(field('Booking name (optional)'));
  });

  it('an error disappears when its field is changed', async () => {
    renderDialog();
    await screen.findByRole('checkbox', { name: 'Main entrance master key' }, WAIT);
    submit();
    await waitFor(() => expect(errorOf(field('Visitor’s email'))).not.toBeNull());
    type('Visitor’s email', 'v@example.com');
    await waitFor(() => expect(errorOf(field('Visitor’s email'))).toBeNull());
    expect(errorOf(field('Find keys'))).toBe('Choose at least one key');
  });

  it('speaks German: labels and the shared schema’s messages', async () => {
    renderDialog({ lang: 'de' });
    expect(screen.getByRole('dialog', { name: 'Keycafe-Zugang gewähren' })).toBeTruthy();
    await screen.findByRole('checkbox', { name: 'Main entrance master key' }, WAIT);
    fireEvent.click(screen.getByRole('button', { name: 'Zugang gewähren' }));
    await waitFor(() => expect(errorOf(field('Schlüssel suchen'))).toBe('Wählen Sie mindestens einen Schlüssel'));
    expect(errorOf(field('E-Mail des Besuchers'))).toBe('Geben Sie eine E-Mail-Adresse oder eine Mobilnummer ein');
  });
});

describe('one-time and ongoing access', () => {
  it('ongoing hides start, end and reminder, and offers "Apply to all keys"', async () => {
    renderDialog();
    expect(screen.queryByRole('checkbox', { name: 'Apply to all keys' })).toBeNull();
    fireEvent.click(screen.getByRole('radio', { name: 'Ongoing' }));
    await waitFor(() => expect(screen.queryByLabelText('Start date')).toBeNull());
    expect(screen.queryByLabelText('Return key reminder')).toBeNull();
    expect(screen.getByText(/Ongoing access has no start, no end and no return reminder/)).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Apply to all keys' }));
    await waitFor(() => expect(screen.queryByLabelText('Find keys')).toBeNull());
  });

  it('"Apply to all keys" with two accounts asks which one, then books the account', async () => {
    const { fake } = renderDialog();
    fireEvent.click(screen.getByRole('radio', { name: 'Ongoing' }));
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Apply to all keys' }));
    const account = (await screen.findByLabelText('Keycafe account', undefined, WAIT)) as HTMLSelectElement;
    type('Visitor’s email', 'contractor@example.com');
    submit();
    await waitFor(() => expect(errorOf(account)).toBe('Choose the Keycafe account'));
    expect(document.activeElement).toBe(account);
    fireEvent.change(account, { target: { value: NY_ACCOUNT } });
    submit();
    await screen.findByRole('heading', { name: 'Access granted' }, WAIT);
    expect(fake.api.createBooking.mock.calls[0]![0]).toMatchObject({ type: 'ongoing', allKeys: true, keyIds: [], locationId: NY_ACCOUNT, returnReminder: false });
    expect(fake.api.createBooking.mock.calls[0]![0]).not.toHaveProperty('start');
  });

  it('with one account, "Apply to all keys" needs no choice', async () => {
    const { fake } = renderDialog({ accounts: [{ id: NY_ACCOUNT, name: 'Brooklyn' }] });
    fireEvent.click(screen.getByRole('radio', { name: 'Ongoing' }));
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Apply to all keys' }));
    await screen.findByText('All keys of Brooklyn, now and later.', undefined, WAIT);
    type('Visitor’s email', 'contractor@example.com');
    submit();
    await waitFor(() => expect(fake.api.createBooking).toHaveBeenCalledTimes(1));
    expect(fake.api.createBooking.mock.calls[0]![0]).toMatchObject({ allKeys: true, locationId: NY_ACCOUNT });
  });
});

describe('time zone and reminder', () => {
  it('names the SmartBox time zone, and both names when the clocks change before the end', async () => {
    renderDialog();
    expect(screen.getByText('Choose a key first: the times are on the clock of its SmartBox.')).toBeTruthy();
    await chooseKey('Unit A-01 – spare key');
    setWindow(['2030-10-26', '10:00'], ['2030-10-26', '20:00']);
    const zone = await screen.findByText(/Times are on the clock of Berlin Mitte – Storage reception \(Europe\/Berlin\)/);
    expect(zone.textContent).toContain('Central European Summer Time (UTC+02:00)');
    expect(zone.textContent).not.toContain('The clocks change');
    // The last Sunday of October 2030 is the 27th: summer time ends during this access.
    type('End date', '2030-10-28');
    await waitFor(() =>
      expect(zone.textContent).toContain(
        'The clocks change during this access: it starts in Central European Summer Time (UTC+02:00) and ends in Central European Standard Time (UTC+01:00).',
      ),
    );
    // The description is tied to the inputs, so a screen reader reads it with them.
    expect(field('Start date').getAttribute('aria-describedby')).toContain(zone.id);
  });

  it('suggests a first window on the SmartBox clock once a key is chosen', async () => {
    renderDialog();
    await chooseKey('Suite 1203 – guest set (2 keys + fob)');
    await waitFor(() => expect(field('Start date').value).toMatch(/^\d{4}-\d{2}-\d{2}$/));
    expect(field('Start time').value).toMatch(/^\d{2}:00$/);
    expect(field('End time').value).toBe(field('Start time').value);
    expect(screen.getByText(/America\/Vancouver/)).toBeTruthy();
  });

  it('shows when the return reminder goes out, by the seed’s bands', async () => {
    renderDialog();
    await chooseKey('Unit A-01 – spare key');
    const reminder = field('Return key reminder');
    expect(errorOf(reminder)).toBeNull();
    expect(screen.getByText('No reminder is sent.')).toBeTruthy();
    fireEvent.click(reminder);
    setWindow(['2030-05-06', '10:00'], ['2030-05-08', '10:00']);
    await screen.findByText('Return reminder 12 h before the end (Tue, May 7, 2030, 22:00 Central European Summer Time)');
    setWindow(['2030-05-06', '10:00'], ['2030-05-06', '14:00']);
    await screen.findByText('Return reminder 2 h before the end (Mon, May 6, 2030, 12:00 Central European Summer Time)');
    setWindow(['2030-05-06', '10:00'], ['2030-05-06', '13:59']);
    await screen.findByText('Return reminder 15 minutes after the keys are picked up');
  });
});

describe('submitting', () => {
  it('sends the shared contract’s input, shows per-key progress, then the codes with copy buttons', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { fake, onBooked, onClose } = renderDialog();
    let release!: () => void;
    fake.state.settlePerPoll = 1;
    fake.state.pollGateAfter = 1;
    fake.state.pollGate = new Promise<void>((r) => (release = r));
    await chooseKey('Unit A-01 – spare key');
    await chooseKey('Main entrance master key');
    type('Visitor’s email', 'Visitor@Example.com');
    setWindow(['2030-05-06', '10:00'], ['2030-05-07', '18:00']);
    fireEvent.change(field('Language of the visitor’s instructions'), { target: { value: 'fr' } });
    fireEvent.click(field('Return key reminder'));
    fireEvent.click(field('Require visitor ID'));
    type('Number of visitors', '2');
    fireEvent.click(field('Photo verification'));
    type('Booking name (optional)', 'Move-in Müller');
    submit();

    await screen.findByRole('heading', { name: 'Creating the access in Keycafe' }, WAIT);
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('1 of 2 keys done'), WAIT);
    expect((screen.getByLabelText('1 of 2 keys done') as HTMLProgressElement).value).toBe(1);
    const progress = within(screen.getByRole('list', { name: 'Keys of this booking' }));
    expect(progress.getAllByText('Pending')).toHaveLength(1);
    expect(progress.getAllByText('Active')).toHaveLength(1);
    release();
    await screen.findByRole('heading', { name: 'Access granted' }, WAIT);
    const [input, requestKey] = fake.api.createBooking.mock.calls[0]!;
    expect(input).toEqual({
      locationId: KEYS[0]!.accountLocationId,
      keyIds: ['10001', '10021'],
      allKeys: false,
      recipient: { email: 'Visitor@Example.com' },
      locale: 'fr',
      name: 'Move-in Müller',
      type: 'one_time',
      start: { date: '2030-05-06', time: '10:00' },
      end: { date: '2030-05-07', time: '18:00' },
      returnReminder: true,
      requireVisitorId: true,
      visitors: 2,
      photoVerification: true,
    });
    expect(requestKey).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(onBooked).toHaveBeenCalledTimes(1);

    const keysList = screen.getByRole('list', { name: 'Keys of this booking' });
    const codes = within(keysList).getAllByText(/^C\d{3}\d{2}$/).map((c) => c.textContent);
    expect(codes).toHaveLength(2);
    expect(screen.getByRole('status').textContent).toBe(`Access granted. Booking code: ${codes.join(', ')}`);
    // Keycafe's API has no visitor-check fields: the result says they are only recorded.
    expect(screen.getByTestId('visitor-checks-recorded').textContent).toBe(
      'Visitor checks recorded (not sent to Keycafe; set them on the key in the Keycafe dashboard): visitor ID, 2 visitors, photo verification',
    );

    fireEvent.click(screen.getByRole('button', { name: 'Copy booking code for Unit A-01 – spare key' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(codes[1]));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Copied to the clipboard.'));
    fireEvent.click(screen.getByRole('button', { name: 'Copy all booking codes' }));
    await waitFor(() => expect(writeText).toHaveBeenLastCalledWith(`Main entrance master key: ${codes[0]}\nUnit A-01 – spare key: ${codes[1]}`));

    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledWith(expect.objectContaining({ state: 'active' }));
  });

  it('says so when the clipboard is refused', async () => {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: vi.fn(async () => Promise.reject(new Error('denied'))) }, configurable: true });
    renderDialog();
    await fillValidOneTime();
    submit();
    fireEvent.click(await screen.findByRole('button', { name: 'Copy booking code for Unit A-01 – spare key' }, WAIT));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The clipboard is not available here: select the code and copy it.'));
  });

  it('puts the API’s field errors beside their fields and focuses the first', async () => {
    const { fake } = renderDialog();
    await fillValidOneTime();
    fake.fieldErrors('Some fields are not valid', [
      { path: 'end', message: 'End must be after start (server)' },
      { path: 'recipient.email', message: 'Keycafe refused this address' },
      { path: 'keyIds.0', message: 'Unknown key 10001 at this location' },
    ]);
    submit();
    await waitFor(() => expect(errorOf(field('Visitor’s email'))).toBe('Keycafe refused this address'));
    expect(errorOf(field('End date'))).toBe('End must be after start (server)');
    expect(errorOf(field('Find keys'))).toBe('Unknown key 10001 at this location');
    expect(document.activeElement).toBe(field('Find keys'));
    expect(screen.getByRole('alert').textContent).toBe('Some fields need attention: see the messages beside them.');
    // Still the form, with everything typed kept.
    expect(field('Visitor’s email').value).toBe('Visitor@Example.com');
  });

  it('an API error about no field is shown at the top and focused', async () => {
    const { fake } = renderDialog();
    await fillValidOneTime();
    fake.fieldErrors('Keycafe did not accept the stored account email and API token', [{ path: 'keycafe', message: 'Keycafe did not accept the stored account email and API token' }]);
    submit();
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Keycafe did not accept the stored account email and API token'));
  });

  it('a failure without an answer offers "Retry", which sends the same request again', async () => {
    const { fake } = renderDialog();
    await fillValidOneTime();
    fake.networkError('The AccessBridge API cannot be reached');
    submit();
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The booking could not be made: The AccessBridge API cannot be reached'));
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await screen.findByRole('heading', { name: 'Access granted' }, WAIT);
    const keys = fake.api.createBooking.mock.calls.map((c) => c[1]);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('changing the form after a failure makes it a new request (no replay of the old one)', async () => {
    const { fake } = renderDialog();
    await fillValidOneTime();
    fake.networkError();
    submit();
    await screen.findByRole('button', { name: 'Retry' }, WAIT);
    type('Visitor’s email', 'other@example.com');
    submit();
    await screen.findByRole('heading', { name: 'Access granted' }, WAIT);
    const keys = fake.api.createBooking.mock.calls.map((c) => c[1]);
    expect(keys[1]).not.toBe(keys[0]);
  });

  it('a key Keycafe refused: per-key reason, an alert, and "Retry failed keys"', async () => {
    const { fake } = renderDialog();
    fake.state.settlePerPoll = 2;
    fake.outcomesFor('10021', { kind: 'failed', reason: 'Keycafe rejected the request: key is disabled' }, { kind: 'active' });
    await chooseKey('Unit A-01 – spare key');
    await chooseKey('Main entrance master key');
    type('Visitor’s email', 'visitor@example.com');
    setWindow(['2030-05-06', '10:00'], ['2030-05-07', '18:00']);
    submit();
    await screen.findByRole('heading', { name: 'Not every key could be booked' }, WAIT);
    expect(screen.getByText('Reason: Keycafe rejected the request: key is disabled')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe(
      'Keycafe did not create the access for 1 of 2 keys. Main entrance master key: Keycafe rejected the request: key is disabled',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Retry failed keys (1)' }));
    await screen.findByRole('heading', { name: 'Access granted' }, WAIT);
    expect(fake.api.retryBooking).toHaveBeenCalledTimes(1);
  });

  it('keeps following the booking when a poll fails', async () => {
    const { fake } = renderDialog();
    await fillValidOneTime();
    fake.api.getBooking.mockRejectedValueOnce(new KeycafeApiError('The AccessBridge API cannot be reached', [], true));
    submit();
    await screen.findByRole('heading', { name: 'Access granted' }, WAIT);
    expect(fake.api.getBooking.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('"Book another" starts over with the same keys', async () => {
    renderDialog();
    await fillValidOneTime();
    submit();
    fireEvent.click(await screen.findByRole('button', { name: 'Book another' }, WAIT));
    expect(field('Visitor’s email').value).toBe('');
    expect(screen.getByRole('button', { name: 'Remove Unit A-01 – spare key' })).toBeTruthy();
  });
});

describe('existing bookings', () => {
  const existing = (): KeycafeBooking => ({
    id: '11111111-1111-4111-8111-111111111111',
    locationId: KEYS[0]!.accountLocationId,
    type: 'one_time',
    allKeys: false,
    recipient: { email: 'earlier@example.com', mobile: null },
    locale: 'en',
    name: null,
    timeZone: 'Europe/Berlin',
    startsAt: '2030-05-01T08:00:00.000Z',
    endsAt: '2030-05-02T08:00:00.000Z',
    returnReminder: false,
    reminderAt: null,
    reminder: null,
    start: { date: '2030-05-01', time: '10:00' },
    end: { date: '2030-05-02', time: '10:00' },
    requireVisitorId: false,
    visitors: 1,
    photoVerification: false,
    state: 'active',
    accesses: [{ keyId: '10001', keyName: 'Unit A-01 – spare key', state: 'active', reason: null, keycafeAccessId: 'a1', bookingCode: 'ZX81', checkinLink: null, addedBySync: false, updatedAt: '2030-04-01T00:00:00.000Z' }],
    createdAt: '2030-04-01T00:00:00.000Z',
    updatedAt: '2030-04-01T00:00:00.000Z',
  });

  it('lists the chosen key’s bookings and cancels one', async () => {
    const fake = createFakeApi();
    fake.state.listed.push(existing());
    renderDialog({ fake });
    await chooseKey('Unit A-01 – spare key');
    const section = await screen.findByRole('region', { name: 'Existing bookings' }, WAIT);
    await within(section).findByText('earlier@example.com', undefined, WAIT);
    expect(within(section).getByText('Booking codes: ZX81')).toBeTruthy();
    expect(within(section).getByText(/10:00 – .*10:00 \(Europe\/Berlin\)/)).toBeTruthy();
    fireEvent.click(within(section).getByRole('button', { name: 'Cancel booking of earlier@example.com for Unit A-01 – spare key' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('The booking of earlier@example.com is being cancelled.'));
    expect(fake.api.cancelBooking).toHaveBeenCalledWith(existing().id);
    expect(within(section).getByText('Cancelling')).toBeTruthy();
  });

  it('finds the recipient’s bookings once the address is valid', async () => {
    const fake = createFakeApi();
    fake.state.listed.push(existing());
    renderDialog({ fake });
    type('Visitor’s email', 'earlier@');
    type('Visitor’s email', 'Earlier@Example.com');
    const section = await screen.findByRole('region', { name: 'Existing bookings' }, WAIT);
    await within(section).findByText('earlier@example.com', undefined, WAIT);
    expect(fake.api.listBookings).toHaveBeenCalledWith({ recipient: 'earlier@example.com', limit: 10 });
    expect(fake.api.listBookings).not.toHaveBeenCalledWith(expect.objectContaining({ recipient: 'earlier@' }));
  });

  it('says when there are none, and is absent where listing is not allowed', async () => {
    renderDialog();
    await chooseKey('Main entrance master key');
    await screen.findByText('No open booking for these keys or this visitor.', undefined, WAIT);
    cleanup();
    const { fake } = renderDialog({ can: { listBookings: false, cancel: false } });
    await chooseKey('Main entrance master key');
    await new Promise((r) => setTimeout(r, 500));
    expect(screen.queryByRole('region', { name: 'Existing bookings' })).toBeNull();
    expect(fake.api.listBookings).not.toHaveBeenCalled();
  });
});

describe('prefill, keyboard and focus', () => {
  it('prefills keys by id or serial number, the recipient and the dates; a missing key is named', async () => {
    renderDialog({
      prefill: { keyRefs: ['10001', 'KC3B9A1C', 'nope'], mobile: '+49 151 23456789', start: { date: '2030-06-01', time: '09:00' }, end: { date: '2030-06-30', time: '18:00' } },
    });
    await screen.findByRole('button', { name: 'Remove Unit A-01 – spare key' }, WAIT);
    expect(screen.getByRole('button', { name: 'Remove Main entrance master key' })).toBeTruthy();
    await waitFor(() => expect(errorOf(field('Find keys'))).toBe('Key not found: nope'));
    expect((screen.getByRole('radio', { name: 'Mobile number (SMS)' }) as HTMLInputElement).checked).toBe(true);
    expect(field('Visitor’s mobile number').value).toBe('+49 151 23456789');
    expect(field('Start date').value).toBe('2030-06-01');
    expect(field('End time').value).toBe('18:00');
  });

  it('prefills an ongoing "all keys" booking (the manager page’s case)', async () => {
    const { fake } = renderDialog({ prefill: { allKeys: true, email: 'tenant@example.com', accountId: NY_ACCOUNT } });
    expect((screen.getByRole('radio', { name: 'Ongoing' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'Apply to all keys' }) as HTMLInputElement).checked).toBe(true);
    await waitFor(() => expect((screen.getByLabelText('Keycafe account') as HTMLSelectElement).value).toBe(NY_ACCOUNT));
    submit();
    await screen.findByRole('heading', { name: 'Access granted' }, WAIT);
    expect(fake.api.createBooking.mock.calls[0]![0]).toMatchObject({ type: 'ongoing', allKeys: true, locationId: NY_ACCOUNT, recipient: { email: 'tenant@example.com' } });
  });

  it('Escape closes and gives focus back to the opener; Tab stays inside', async () => {
    const opener = document.createElement('button');
    opener.textContent = 'Grant Keycafe access';
    document.body.append(opener);
    opener.focus();
    const { onClose, unmount } = renderDialog();
    expect(document.activeElement).toBe(dialog());

    const buttons = within(dialog()).getAllByRole('button');
    const last = buttons[buttons.length - 1]!;
    last.focus();
    fireEvent.keyDown(last, { key: 'Tab' });
    expect(dialog().contains(document.activeElement)).toBe(true);
    expect(document.activeElement).not.toBe(last);
    fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(last);

    fireEvent.keyDown(dialog(), { key: 'Escape' });
    expect(onClose).toHaveBeenCalledWith(null);
    unmount();
    expect(document.activeElement).toBe(opener);
    opener.remove();
  });
});
