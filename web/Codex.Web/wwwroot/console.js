// Copy buttons ([data-copy]) on static and interactive pages alike: one delegated listener.
document.addEventListener('click', async (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-copy]') : null;
  if (!button) return;
  try {
    await navigator.clipboard.writeText(button.getAttribute('data-copy') ?? '');
    button.textContent = 'Copied';
  } catch {
    // No clipboard (plain http, permissions): select the value so Ctrl+C works.
    const value = button.parentElement?.querySelector('code');
    if (value) window.getSelection()?.selectAllChildren(value);
    button.textContent = 'Select and copy';
  }
});
