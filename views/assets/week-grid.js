// The weekly grid from the keyboard: Enter saves a cell and moves down to the same measure for the next person (Tab moves across).
(() => {
  // biome-ignore lint/suspicious/noRedundantUseStrict: this is a classic script, not a module: it is sloppy unless it says so.
  'use strict';
  var grid = document.querySelector('[data-week-grid]');
  // Without htmx each cell is a plain form: its Save button stays, and Enter posts it as browsers always do.
  if (!grid || !window.htmx) return;
  // htmx saves each cell on change, so the per-cell Save buttons are hidden (and out of the Tab order).
  grid.classList.add('week-grid--live');

  grid.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey || event.isComposing)
      return;
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.col) return;
    event.preventDefault();
    var column = Array.prototype.filter.call(
      grid.querySelectorAll('input[data-col]'),
      (el) => el.dataset.col === input.dataset.col,
    );
    var below = column[column.indexOf(input) + 1];
    if (below) {
      // Leaving the cell fires its change event, and htmx saves it.
      below.focus();
      if (below.type === 'text') below.select();
    } else {
      // The last row: blur and come back, so the cell's change event fires without losing the person's place.
      input.blur();
      input.focus();
    }
  });
})();
