/** The widget's own styles (the dialog's come from components/keycafe/style.ts). */
export const widgetCss = `
:host { all: initial; display: block; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1c1b1f; }
:host([hidden]) { display: none; }
.ab-widget { font: inherit; color: inherit; }
.ab-widget h2 { font-size: 16px; margin: 0 0 6px; }
.ab-widget h3 { font-size: 14px; margin: 10px 0 4px; }
.ab-widget p { margin: 4px 0; }
.ab-widget button { font: inherit; cursor: pointer; border: 1px solid #74777f; background: #fff; color: #1c1b1f; border-radius: 6px; padding: 6px 12px; }
.ab-widget button:hover:not([disabled]) { background: #eef0f8; }
.ab-widget button[disabled] { opacity: .6; cursor: default; }
.ab-widget button:focus-visible, .ab-widget input:focus-visible { outline: 3px solid #2f5bd3; outline-offset: 2px; }
.ab-widget .ab-primary { background: #2f5bd3; border-color: #2f5bd3; color: #fff; }
.ab-widget .ab-primary:hover:not([disabled]) { background: #2449ad; }
.ab-widget .ab-field label { display: block; font-weight: 600; margin: 8px 0 2px; }
.ab-widget input[type=search] { font: inherit; width: 100%; box-sizing: border-box; padding: 6px 8px; border: 1px solid #74777f; border-radius: 6px; }
.ab-widget .ab-units { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
.ab-widget .ab-picker label { display: block; font-weight: 600; margin-top: 8px; }
.ab-widget .ab-picker input { font: inherit; width: 100%; box-sizing: border-box; }
.ab-widget .ab-units button { width: 100%; text-align: left; }
.ab-widget .ab-strong { font-weight: 600; }
.ab-widget .ab-mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; color: #44474f; }
.ab-widget .ab-hint { color: #44474f; font-size: 13px; }
.ab-widget .ab-empty { color: #44474f; font-style: italic; }
.ab-widget .ab-alert { color: #b3261e; }
.ab-widget .ab-status.ab-success { color: #1b6e2c; }
.ab-widget .ab-notices p:empty { margin: 0; }
.ab-widget .ab-conflict { background: #fff4de; border-radius: 6px; padding: 6px 10px; margin: 8px 0; }
`;
