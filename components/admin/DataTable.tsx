/**
 * The frame of every admin table: a wrapper that scrolls on narrow screens, a caption (kept
 * for screen readers only when a heading above already says it) and the column headers.
 * The rows are the caller's: their first cell is often a row header.
 */
import type { ComponentChildren } from 'preact';

export function DataTable({ caption, captionHidden = false, columns, children }: { caption: string; captionHidden?: boolean; columns: readonly string[]; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table>
        <caption class={captionHidden ? 'sr-only' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th scope="col" key={i}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
