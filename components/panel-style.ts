/**
 * Styles of the in-page panels (portal and manager content scripts), inlined into their shadow
 * roots: no stylesheet file to fetch, so no web-accessible resource is needed on user-added
 * portal origins.
 */
export const panelCss = `
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1c1b1f; }
.ab-panel { position: fixed; right: 16px; bottom: 16px; z-index: 2147483646; max-width: 340px; background: #fff;
  border: 1px solid #c4c6d0; border-radius: 10px; box-shadow: 0 4px 16px rgba(0,0,0,.18); padding: 12px 14px; }
.ab-current { margin: 0 0 8px; font-weight: 600; }
.ab-actions { display: flex; flex-wrap: wrap; gap: 8px; }
button { font: inherit; cursor: pointer; border: 1px solid #74777f; background: #fff; color: #1c1b1f; border-radius: 6px; padding: 6px 12px; }
button:hover:not([disabled]) { background: #eef0f8; }
button:focus-visible, input:focus-visible { outline: 3px solid #2f5bd3; outline-offset: 2px; }
button[disabled] { opacity: .6; cursor: default; }
.ab-primary { background: #2f5bd3; border-color: #2f5bd3; color: #fff; }
.ab-primary:hover:not([disabled]) { background: #2449ad; }
.ab-notices p { margin: 6px 0 0; }
.ab-notices p:empty { margin: 0; }
.ab-success { color: #1b6e2c; }
.ab-alert { color: #b3261e; }
.ab-warning { color: #7a4d00; background: #fff4de; padding: 6px 8px; border-radius: 6px; }
.ab-hint { color: #44474f; font-size: 13px; margin: 4px 0; }
.ab-backdrop { position: fixed; inset: 0; z-index: 2147483647; background: rgba(0,0,0,.4); display: flex; align-items: center; justify-content: center; }
.ab-dialog { background: #fff; border-radius: 12px; padding: 18px 20px; width: min(520px, calc(100vw - 32px)); max-height: calc(100vh - 48px); overflow: auto; box-shadow: 0 8px 32px rgba(0,0,0,.3); }
.ab-dialog:focus { outline: none; }
.ab-dialog h2 { font-size: 18px; margin: 0 0 6px; }
.ab-dialog h3 { font-size: 14px; margin: 12px 0 4px; }
.ab-picker label { display: block; font-weight: 600; margin-top: 8px; }
.ab-picker input { font: inherit; width: 100%; box-sizing: border-box; padding: 6px 8px; border: 1px solid #74777f; border-radius: 6px; margin-top: 4px; }
.ab-units { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 6px; }
.ab-unit { width: 100%; text-align: left; display: flex; justify-content: space-between; gap: 6px; }
.ab-suggested { border-color: #2f5bd3; border-width: 2px; }
.ab-tag { font-size: 12px; color: #44474f; }
.ab-conflict { background: #fff4de; border-radius: 8px; padding: 8px 12px; margin: 8px 0; }
.ab-conflict p { margin: 4px 0; }
.ab-footer { margin-top: 12px; justify-content: flex-end; }
.ab-empty { font-style: italic; }
`;
