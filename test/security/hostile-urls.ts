/** URLs that must never become a link or a stored page address (test/security/hostile-links*). */
/** Each would run script, render attacker content in place, or pass for another site. */
export const HOSTILE_URLS = [
  'javascript:alert(1)',
  'JavaScript:alert(document.domain)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  '\u0000javascript:alert(1)',
  'javascript://https://my.tapkey.com/%0aalert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'blob:https://my.tapkey.com/0c7f4d6e',
  'http://checkin.evil.example/x',
  'https://www.keycafe.com@evil.example/checkin',
  '//evil.example/checkin',
  '/checkin/relative',
  `https://www.keycafe.com/${'a'.repeat(2100)}`,
];
