export interface Notice {
  tone: 'info' | 'success' | 'error';
  text: string;
}

/**
 * Two live regions that are always in the document (a region added together with its text
 * is often not announced): successes and progress go to `status`, errors to `alert`.
 */
export function StatusMessage({ notice }: { notice: Notice | null }) {
  const isError = notice?.tone === 'error';
  return (
    <div class="ab-notices">
      <p role="status" class={`ab-status ab-${notice && !isError ? notice.tone : 'info'}`}>
        {notice && !isError ? notice.text : ''}
      </p>
      <p role="alert" class="ab-alert">
        {isError ? notice.text : ''}
      </p>
    </div>
  );
}
