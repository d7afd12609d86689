/**
 * The manager controls' styles, inlined into their shadow root: the portal panel's look (same
 * buttons, dialog and picker) placed in the page's flow beside the profile's anchor, or
 * floating when the anchor is missing.
 */
import { panelCss } from '../../components/panel-style.ts';

export const managerCss = `${panelCss}
:host { display: block; }
.ab-panel { position: static; max-width: none; margin: 12px 0; box-shadow: none; }
.ab-panel.ab-floating { position: fixed; right: 16px; bottom: 16px; max-width: 380px; box-shadow: 0 4px 16px rgba(0,0,0,.18); }
.ab-notice { background: #fdecea; color: #5f1410; border-radius: 8px; padding: 8px 12px; }
.ab-notice-title { font-weight: 600; margin: 0 0 4px; }
.ab-notice ul { margin: 4px 0; padding-left: 18px; }
.ab-notice p { margin: 4px 0; }
.ab-anchor-note { margin: 0 0 8px; }
.ab-dialog label { display: block; font-weight: 600; margin-top: 8px; }
.ab-dialog input, .ab-dialog select, .ab-dialog textarea { font: inherit; box-sizing: border-box; padding: 6px 8px; border: 1px solid #74777f; border-radius: 6px; }
.ab-dialog input[type="checkbox"], .ab-dialog input[type="radio"] { width: auto; }
.ab-dialog fieldset { border: 1px solid #dadce4; border-radius: 8px; margin: 8px 0; padding: 6px 10px; }
.ab-dialog [aria-invalid="true"] { border-color: #b3261e; }
`;
