/**
 * Styles of the Keycafe booking dialog, as a string: hosts put it in their shadow root (the
 * widget, manager pages) or in a <style> of their own page (the popup), so no stylesheet has
 * to be fetched from the extension or the API. Every rule is scoped under .ab-keycafe-root or
 * the dialog classes, so the host page's styles and ours do not meet.
 */
export const keycafeDialogCss = `
.ab-keycafe-root { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1c1b1f; }
.ab-backdrop { position: fixed; inset: 0; z-index: 2147483647; background: rgba(0,0,0,.4); display: flex; align-items: center; justify-content: center; }
.ab-dialog { background: #fff; color: #1c1b1f; border-radius: 12px; padding: 16px 18px; width: min(560px, calc(100vw - 24px)); max-height: calc(100vh - 24px); overflow: auto; box-shadow: 0 8px 32px rgba(0,0,0,.3); box-sizing: border-box; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: left; }
.ab-dialog:focus { outline: none; }
.ab-dialog h2 { font-size: 18px; margin: 0 0 8px; }
.ab-dialog h3 { font-size: 14px; margin: 10px 0 4px; }
.ab-dialog form { margin: 0; }
.ab-fieldset { border: 1px solid #c4c6d0; border-radius: 8px; margin: 10px 0; padding: 8px 12px 10px; }
.ab-fieldset legend { font-weight: 600; padding: 0 4px; }
.ab-field { margin: 6px 0; }
.ab-field label { display: block; font-weight: 600; margin-bottom: 2px; }
.ab-dialog input[type=text], .ab-dialog input[type=email], .ab-dialog input[type=tel], .ab-dialog input[type=search],
.ab-dialog input[type=date], .ab-dialog input[type=time], .ab-dialog input[type=number], .ab-dialog select {
  font: inherit; color: inherit; background: #fff; width: 100%; box-sizing: border-box; padding: 6px 8px; border: 1px solid #74777f; border-radius: 6px; }
.ab-narrow input { max-width: 8em; }
.ab-dialog [aria-invalid=true] { border-color: #b3261e; outline: 1px solid #b3261e; }
.ab-check { display: grid; grid-template-columns: auto 1fr; gap: 0 8px; align-items: baseline; margin: 6px 0; }
.ab-check .ab-hint, .ab-check .ab-field-error { grid-column: 2; }
.ab-check label { font-weight: 600; }
.ab-choice { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: baseline; margin: 2px 0 6px; }
.ab-datetime { display: grid; grid-template-columns: 1fr 1fr; gap: 0 10px; }
.ab-datetime .ab-field-error { grid-column: 1 / -1; }
.ab-zone { margin: 2px 0 6px; color: #2c3e50; background: #eef3fb; padding: 6px 8px; border-radius: 6px; }
.ab-hint { color: #44474f; font-size: 13px; margin: 2px 0; }
.ab-empty { color: #44474f; font-style: italic; margin: 4px 0; }
.ab-field-error { color: #b3261e; font-weight: 600; margin: 2px 0 0; }
.ab-field-error[hidden] { display: none; }
.ab-form-error:focus { outline: 2px solid #b3261e; outline-offset: 2px; }
.ab-key-results, .ab-chosen ul, .ab-accesses, .ab-bookings { list-style: none; margin: 4px 0; padding: 0; }
.ab-key-results { max-height: 190px; overflow: auto; border: 1px solid #e0e2ec; border-radius: 6px; padding: 4px 6px; }
.ab-key-results li { display: grid; grid-template-columns: auto 1fr; gap: 0 8px; padding: 3px 0; align-items: baseline; }
.ab-key-results li .ab-hint { grid-column: 2; }
.ab-chosen li, .ab-bookings li { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; padding: 4px 0; border-bottom: 1px solid #eceef4; }
.ab-bookings .ab-booking-who { font-weight: 600; }
.ab-tag { font-size: 12px; background: #e8eaf2; border-radius: 999px; padding: 1px 8px; }
.ab-inline-error p { color: #b3261e; margin: 4px 0; }
.ab-accesses li { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; padding: 6px 0; border-bottom: 1px solid #eceef4; }
.ab-access-key { font-weight: 600; }
.ab-access.ab-active .ab-access-state { color: #1b6e2c; }
.ab-access.ab-failed .ab-access-state, .ab-access-reason { color: #b3261e; }
.ab-code { font: 600 16px/1.2 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f3f4f8; padding: 2px 6px; border-radius: 4px; user-select: all; }
.ab-code-row { display: inline-flex; gap: 6px; align-items: baseline; }
.ab-progress-label { display: block; margin-top: 6px; }
.ab-dialog progress { width: 100%; }
.ab-dialog button { font: inherit; cursor: pointer; border: 1px solid #74777f; background: #fff; color: #1c1b1f; border-radius: 6px; padding: 6px 12px; }
.ab-dialog button:hover:not([disabled]) { background: #eef0f8; }
.ab-dialog button[disabled] { opacity: .6; cursor: default; }
.ab-dialog .ab-primary { background: #2f5bd3; border-color: #2f5bd3; color: #fff; }
.ab-dialog .ab-primary:hover:not([disabled]) { background: #2449ad; }
.ab-dialog .ab-link { border: none; background: none; color: #2449ad; text-decoration: underline; padding: 0 2px; }
.ab-dialog .ab-copy { padding: 2px 10px; }
.ab-dialog button:focus-visible, .ab-dialog input:focus-visible, .ab-dialog select:focus-visible, .ab-dialog a:focus-visible { outline: 3px solid #2f5bd3; outline-offset: 2px; }
.ab-actions { display: flex; flex-wrap: wrap; gap: 8px; }
.ab-footer { margin-top: 12px; justify-content: flex-end; }
.ab-notices p { margin: 6px 0 0; }
.ab-notices p:empty { margin: 0; }
.ab-status.ab-success { color: #1b6e2c; }
.ab-alert { color: #b3261e; }
`;
