// Copy buttons: <button data-copy="element-id">. No other script in the console.
document.addEventListener('click', function (event) {
  var target = event.target.closest('[data-copy]');
  if (!target) { return; }
  var text = document.getElementById(target.getAttribute('data-copy')).textContent;
  navigator.clipboard.writeText(text).then(function () { target.textContent = 'Copied'; });
});
