// The wall display: when its credential is revoked (or it was never paired), it goes back to the pairing screen.
// The board itself arrives and reconnects through htmx's SSE extension; nothing else runs here.
document.addEventListener('revoked', () => window.location.replace('/display'));
