/**
 * The reference consumer's web UI: one page, no framework. Element ids are the contract with the
 * browser driver's page object:
 *   #nhs-number   the NHS number input
 *   #find-slots   button: steps 1–4, fills #slots
 *   #slots        a list; each free slot is a button with data-slot-id
 *   #confirmation shown after booking, holds the appointment id (also in data-appointment-id)
 *   #error        shown when a step fails, holds the message
 */
export const UI_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Reference GP Connect consumer</title>
<style>
  body { font-family: Arial, sans-serif; margin: 2rem; max-width: 48rem; }
  #slots { list-style: none; padding: 0; }
  #slots li { margin: 0.25rem 0; }
  #confirmation { color: #006435; }
  #error { color: #d5281b; }
  [hidden] { display: none; }
</style>
</head>
<body>
<h1>Book a GP appointment</h1>
<form id="search-form">
  <label for="nhs-number">NHS number</label>
  <input id="nhs-number" name="nhsNumber" inputmode="numeric" pattern="[0-9]{10}" maxlength="10" autocomplete="off">
  <button id="find-slots" type="submit">Find free slots</button>
</form>
<p id="status" role="status"></p>
<ul id="slots"></ul>
<p id="confirmation" hidden></p>
<p id="error" role="alert" hidden></p>
<script>
(function () {
  var nhs = document.getElementById('nhs-number');
  var list = document.getElementById('slots');
  var status = document.getElementById('status');
  var confirmation = document.getElementById('confirmation');
  var error = document.getElementById('error');

  function reset() {
    confirmation.hidden = true; confirmation.textContent = ''; confirmation.removeAttribute('data-appointment-id');
    error.hidden = true; error.textContent = '';
  }
  function showError(outcome) {
    error.textContent = outcome.message || outcome.error || 'Something went wrong';
    if (outcome.step) error.setAttribute('data-step', outcome.step);
    error.hidden = false;
  }
  function when(iso) {
    var d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString('en-GB', { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  }

  document.getElementById('search-form').addEventListener('submit', function (event) {
    event.preventDefault();
    reset();
    list.textContent = '';
    status.textContent = 'Searching…';
    fetch('/slots?nhsNumber=' + encodeURIComponent(nhs.value.trim()))
      .then(function (r) { return r.json(); })
      .then(function (outcome) {
        status.textContent = '';
        if (outcome.outcome !== 'slots') return showError(outcome);
        if (outcome.slots.length === 0) { status.textContent = 'No free slots at ' + outcome.practice + '.'; return; }
        status.textContent = outcome.slots.length + ' free slot(s) at ' + outcome.practice;
        outcome.slots.forEach(function (slot) {
          var item = document.createElement('li');
          var button = document.createElement('button');
          button.type = 'button';
          button.setAttribute('data-slot-id', slot.id);
          button.textContent = when(slot.start) + ' – ' + [slot.serviceType, slot.practitioner, slot.location, slot.deliveryChannel].filter(Boolean).join(', ');
          button.addEventListener('click', function () { book(slot.id); });
          item.appendChild(button);
          list.appendChild(item);
        });
      })
      .catch(function (e) { status.textContent = ''; showError({ message: String(e) }); });
  });

  function book(slotId) {
    reset();
    status.textContent = 'Booking…';
    fetch('/book', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ nhsNumber: nhs.value.trim(), slotId: slotId }) })
      .then(function (r) { return r.json(); })
      .then(function (outcome) {
        status.textContent = '';
        if (outcome.outcome !== 'booked') return showError(outcome);
        list.textContent = '';
        confirmation.setAttribute('data-appointment-id', outcome.appointmentId);
        confirmation.textContent = 'Booked: appointment ' + outcome.appointmentId + ' at ' + when(outcome.slot.start);
        confirmation.hidden = false;
      })
      .catch(function (e) { status.textContent = ''; showError({ message: String(e) }); });
  }
})();
</script>
</body>
</html>
`;
