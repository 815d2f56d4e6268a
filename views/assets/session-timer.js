// The WIG session's timer: counts down the team's session length. Progressive: without it the page still states the length.
// Screen readers hear only milestones (started, half time, five minutes left, one minute left, time up), never every second.
(() => {
  const root = document.getElementById('session-timer');
  if (!root) return;
  const total = Number(root.dataset.minutes) * 60;
  if (!Number.isFinite(total) || total <= 0) return;

  const clock = document.createElement('p');
  clock.className = 'session-timer__clock';
  clock.setAttribute('role', 'timer');
  clock.setAttribute('aria-live', 'off');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button button--secondary session-timer__button';
  const reset = document.createElement('button');
  reset.type = 'button';
  reset.className = 'button button--quiet session-timer__button';
  reset.textContent = 'Reset the timer';
  const news = document.createElement('p');
  news.className = 'visually-hidden';
  news.setAttribute('role', 'status');
  const controls = document.createElement('div');
  controls.className = 'session-timer__controls';
  controls.append(clock, button, reset);
  root.append(controls, news);

  let elapsed = 0;
  let startedAt = null;
  let tick = null;
  const said = new Set();
  const pad = (n) => String(n).padStart(2, '0');
  const words = (seconds) => `${Math.floor(seconds / 60)}:${pad(seconds % 60)}`;
  const now = () => elapsed + (startedAt === null ? 0 : Math.floor((Date.now() - startedAt) / 1000));
  const announce = (key, text) => {
    if (said.has(key)) return;
    said.add(key);
    news.textContent = text;
  };

  function draw() {
    const spent = now();
    const left = total - spent;
    root.classList.toggle('session-timer--over', left < 0);
    root.classList.toggle('session-timer--near', left >= 0 && left <= 300);
    clock.textContent = left >= 0 ? `${words(left)} left` : `${words(-left)} over time`;
    button.textContent = startedAt === null ? (spent === 0 ? 'Start the timer' : 'Carry on') : 'Pause the timer';
    if (startedAt === null) return;
    if (spent >= total / 2 && total >= 600) announce('half', 'Half time.');
    if (left <= 300 && total > 300) announce('five', 'Five minutes left.');
    if (left <= 60) announce('one', 'One minute left.');
    if (left <= 0) announce('up', 'Time is up.');
  }

  button.addEventListener('click', () => {
    if (startedAt === null) {
      startedAt = Date.now();
      tick = setInterval(draw, 1000);
      if (elapsed === 0) announce('start', `Timer started: ${total / 60} minutes.`);
    } else {
      elapsed = now();
      startedAt = null;
      clearInterval(tick);
      news.textContent = `Timer paused with ${words(Math.max(0, total - elapsed))} left.`;
    }
    draw();
  });
  reset.addEventListener('click', () => {
    clearInterval(tick);
    elapsed = 0;
    startedAt = null;
    said.clear();
    news.textContent = 'Timer reset.';
    draw();
  });
  draw();
})();
