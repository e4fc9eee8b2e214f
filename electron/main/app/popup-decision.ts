/** What the approval popup should do after the pending approvals changed. */
export type PopupAction = 'show' | 'close' | 'none';

/**
 * Opens the popup when an approval arrives that was not pending before, closes it when none remain,
 * and otherwise leaves it alone (a person who closed it is not pestered again for the same calls; the
 * tray keeps listing them). Pure, so it is tested without Electron.
 */
export function popupAction(
  before: readonly string[],
  after: readonly string[],
  isOpen: boolean,
): PopupAction {
  if (after.length === 0) return isOpen ? 'close' : 'none';
  const known = new Set(before);
  const arrived = after.some((id) => !known.has(id));
  return arrived ? 'show' : 'none';
}
