/**
 * The reference consumer's web UI: one page, no framework, usable by a person and by the browser
 * driver's page object (profiles/reference-consumer.page.ts). Element ids are the contract:
 *
 *   #organisation  select: the organisation the booking is made from, filled from GET /organisations
 *                  ([{ods, name}]); hidden (with its label) when that fails or lists only one
 *   #nhs-number    the NHS number input
 *   #start, #end   optional date inputs (yyyy-mm-dd): the search window; both or neither
 *   #find-slots    button (disabled until the organisations are known): steps 1–4, fills #slots
 *   #slots         a list; each free slot is a button with data-slot-id (time, service, practitioner, location)
 *   #confirmation  shown after booking, holds the appointment id (also in data-appointment-id)
 *   #error         shown when a step fails, holds the server's message (the step in data-step);
 *                  also used for "no free slots" (data-step 4a), so a search always ends in #slots or #error
 *
 *
 * A patient's appointments (issue 18: retrieve, cancel, amend), for the same NHS number and organisation:
 *   #list-appointments  button: retrieves the patient's appointments (#start/#end as the date range when
 *                       given, else today and the 13 days after), fills #appointments
 *   #appointments   a list; each appointment an li with data-appointment-id and data-status, holding a
 *                   button[data-cancel-id] and a button[data-amend-id] unless it is cancelled; the
 *                   list gets data-loaded="true" when filled (empty or not)
 *   #cancel-reason  the reason the cancel buttons send (optional)
 *   #amend-form     shown by an amend button: #amend-description, #amend-comment, #amend-save
 *   #action-result  shown after a cancel or an amendment: data-outcome (cancelled, amended) and data-appointment-id
 *
 * The page makes one session id per page load (crypto.randomUUID) and sends it with every request
 * (`session` in the GET /slots query and the POST /book body), with `organisation` when one is chosen.
 *
 * The user logged on: the page stands in for a real system's log-on by taking the user from its own
 * address (?userId=…&userFamily=…&userGiven=…&userSdsId=…&userRoleProfileId=…, the SDS ids left out
 * without a smartcard), shows them in #user (data-user-id), and names them in every request (`user`
 * in a POST body, the same query names in GET /slots); without userId the server's configured user.
 */
export const UI_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reference GP Connect consumer</title>
<link rel="icon" href="data:,">
<style>
  body { font-family: Arial, sans-serif; margin: 2rem; max-width: 48rem; line-height: 1.4; }
  .field { margin: 0 0 0.75rem; }
  .field label, fieldset legend { display: block; font-weight: bold; margin-bottom: 0.25rem; }
  .hint { display: block; color: #4c6272; font-size: 0.9rem; }
  fieldset { border: 0; padding: 0; margin: 0 0 0.75rem; }
  fieldset .field { display: inline-block; margin-right: 1rem; }
  input, select, button { font-size: 1rem; padding: 0.3rem; }
  #slots { list-style: none; padding: 0; max-height: 28rem; overflow-y: auto; }
  #slots li { margin: 0.25rem 0; }
  #slots button { text-align: left; width: 100%; cursor: pointer; }
  #confirmation { color: #006435; font-weight: bold; }
  #error { color: #d5281b; font-weight: bold; }
  #appointments { list-style: none; padding: 0; }
  #appointments li { margin: 0.25rem 0; }
  #appointments li[data-status="cancelled"] { color: #4c6272; text-decoration: line-through; }
  #action-result { color: #006435; font-weight: bold; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<main>
<h1>Book a GP appointment</h1>
<p id="user" hidden></p>
<form id="search-form" novalidate aria-describedby="status">
  <div class="field" id="organisation-field" hidden>
    <label for="organisation">Booking from</label>
    <select id="organisation" name="organisation"></select>
  </div>
  <div class="field">
    <label for="nhs-number">NHS number</label>
    <span class="hint" id="nhs-number-hint">10 digits, for example 9693632109</span>
    <input id="nhs-number" name="nhsNumber" inputmode="numeric" pattern="[0-9]{10}" maxlength="10" autocomplete="off" required aria-describedby="nhs-number-hint">
  </div>
  <fieldset>
    <legend>Search window (optional, at most 14 days)</legend>
    <div class="field">
      <label for="start">From</label>
      <input id="start" name="start" type="date">
    </div>
    <div class="field">
      <label for="end">To</label>
      <input id="end" name="end" type="date">
    </div>
  </fieldset>
  <button id="find-slots" type="submit" disabled>Find free slots</button>
</form>
<p id="status" role="status" aria-live="polite"></p>
<ul id="slots" aria-label="Free slots"></ul>
<p id="confirmation" role="status" hidden></p>
<p id="error" role="alert" tabindex="-1" hidden></p>
<section aria-labelledby="appointments-heading">
  <h2 id="appointments-heading">The patient's appointments</h2>
  <p class="hint">Only future appointments are shown: the earliest date you can ask for is today.</p>
  <button id="list-appointments" type="button" disabled>Show appointments</button>
  <div class="field">
    <label for="cancel-reason">Reason for cancelling</label>
    <input id="cancel-reason" name="cancelReason" maxlength="500" autocomplete="off">
  </div>
  <ul id="appointments" aria-label="Appointments"></ul>
  <form id="amend-form" novalidate hidden>
    <input id="amend-id" type="hidden">
    <div class="field">
      <label for="amend-description">Description</label>
      <span class="hint">at most 100 characters, no clinical information</span>
      <input id="amend-description" maxlength="100" autocomplete="off">
    </div>
    <div class="field">
      <label for="amend-comment">Comment</label>
      <span class="hint">at most 500 characters, no clinical information</span>
      <textarea id="amend-comment" maxlength="500" rows="3" cols="60"></textarea>
    </div>
    <button id="amend-save" type="submit">Save changes</button>
  </form>
  <p id="action-result" role="status" hidden></p>
</section>
</main>
<script>
(function () {
  var form = document.getElementById('search-form');
  var organisationField = document.getElementById('organisation-field');
  var organisation = document.getElementById('organisation');
  var nhs = document.getElementById('nhs-number');
  var startInput = document.getElementById('start');
  var endInput = document.getElementById('end');
  var findSlots = document.getElementById('find-slots');
  var list = document.getElementById('slots');
  var status = document.getElementById('status');
  var confirmation = document.getElementById('confirmation');
  var error = document.getElementById('error');
  var listAppointments = document.getElementById('list-appointments');
  var appointments = document.getElementById('appointments');
  var cancelReason = document.getElementById('cancel-reason');
  var amendForm = document.getElementById('amend-form');
  var actionResult = document.getElementById('action-result');

  // One session id per page load. crypto.randomUUID exists only in a secure context (https, or
  // http on localhost/127.0.0.1); elsewhere make the same version-4 UUID from getRandomValues.
  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }
  var session = uuid();
  document.documentElement.setAttribute('data-session', session);

  // The user logged on, from the page's address (a stand-in for a log-on): named in every request.
  var USER_FIELDS = { userId: 'id', userFamily: 'family', userGiven: 'given', userSdsId: 'sdsUserId', userRoleProfileId: 'sdsRoleProfileId' };
  var pageQuery = new URLSearchParams(window.location.search);
  var loggedOn = null;
  if (pageQuery.get('userId')) {
    loggedOn = {};
    Object.keys(USER_FIELDS).forEach(function (q) { if (pageQuery.get(q)) loggedOn[USER_FIELDS[q]] = pageQuery.get(q); });
    var userLine = document.getElementById('user');
    userLine.textContent = 'Logged on as ' + [loggedOn.given, loggedOn.family].filter(Boolean).join(' ') + ' (' + loggedOn.id + (loggedOn.sdsUserId ? ', smartcard ' + loggedOn.sdsUserId : ', no smartcard') + ')';
    userLine.setAttribute('data-user-id', loggedOn.id);
    userLine.hidden = false;
  }
  function withUser(body) {
    if (loggedOn) body.user = loggedOn;
    return body;
  }

  // What the last search was made with: booking uses these, not whatever the inputs say by then.
  var searched = null;

  function reset() {
    confirmation.hidden = true; confirmation.textContent = ''; confirmation.removeAttribute('data-appointment-id');
    error.hidden = true; error.textContent = ''; error.removeAttribute('data-step');
  }
  function showError(outcome) {
    error.textContent = (outcome && (outcome.message || outcome.error)) || 'Something went wrong';
    if (outcome && outcome.step) error.setAttribute('data-step', outcome.step);
    error.hidden = false;
    error.focus();
  }
  function when(iso) {
    var d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString('en-GB', { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  }
  function until(iso) {
    var d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleTimeString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });
  }
  // Any answer with a JSON body (outcomes are 200; a refused request is 400 with a message).
  function answer(r) {
    return r.json().catch(function () { return { message: 'the consumer answered ' + r.status + ' without JSON' }; });
  }
  function chosenOrganisation() {
    return organisationField.hidden || !organisation.value ? undefined : organisation.value;
  }

  // The organisations this consumer books from. Hidden when there is no list or only one.
  function ready() { findSlots.disabled = false; listAppointments.disabled = false; form.setAttribute('data-ready', 'true'); }
  var controller = typeof AbortController === 'function' ? new AbortController() : null;
  var giveUp = setTimeout(function () { if (controller) controller.abort(); }, 5000);
  fetch('/organisations', { headers: { Accept: 'application/json' }, signal: controller ? controller.signal : undefined })
    .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
    .then(function (organisations) {
      if (!Array.isArray(organisations) || organisations.length < 2) return;
      organisations.forEach(function (o) {
        if (!o || typeof o.ods !== 'string') return;
        var option = document.createElement('option');
        option.value = o.ods;
        option.textContent = o.name ? o.name + ' (' + o.ods + ')' : o.ods;
        organisation.appendChild(option);
      });
      organisationField.hidden = organisation.options.length < 2;
    })
    .catch(function () { organisationField.hidden = true; })
    .then(function () { clearTimeout(giveUp); ready(); });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    reset();
    list.textContent = '';
    searched = { nhsNumber: nhs.value.replace(/\\s+/g, ''), start: startInput.value || undefined, end: endInput.value || undefined, organisation: chosenOrganisation() };
    var query = new URLSearchParams({ nhsNumber: searched.nhsNumber, session: session });
    if (searched.start) query.set('start', searched.start);
    if (searched.end) query.set('end', searched.end);
    if (searched.organisation) query.set('organisation', searched.organisation);
    if (loggedOn) Object.keys(USER_FIELDS).forEach(function (q) { if (pageQuery.get(q)) query.set(q, pageQuery.get(q)); });
    status.textContent = 'Searching…';
    findSlots.disabled = true;
    list.setAttribute('aria-busy', 'true');
    fetch('/slots?' + query.toString(), { headers: { Accept: 'application/json' } })
      .then(answer)
      .then(function (outcome) {
        status.textContent = '';
        if (outcome.outcome !== 'slots') return showError(outcome);
        if (!outcome.slots || outcome.slots.length === 0) {
          var w = outcome.window ? ' between ' + outcome.window.start + ' and ' + outcome.window.end : '';
          return showError({ step: '4a', message: 'No free slots at ' + outcome.practice + w + '.' });
        }
        status.textContent = outcome.slots.length + ' free slot(s) at ' + outcome.practice + '. Choose one to book it.';
        outcome.slots.forEach(function (slot) {
          var item = document.createElement('li');
          var button = document.createElement('button');
          button.type = 'button';
          button.setAttribute('data-slot-id', slot.id);
          var words = [when(slot.start) + '–' + until(slot.end), slot.serviceType, slot.practitioner, slot.location, slot.deliveryChannel].filter(Boolean);
          button.textContent = words.join(' · ');
          button.setAttribute('aria-label', 'Book ' + words.join(', '));
          button.addEventListener('click', function () { book(slot.id); });
          item.appendChild(button);
          list.appendChild(item);
        });
      })
      .catch(function (e) { status.textContent = ''; showError({ message: String(e) }); })
      .then(function () { findSlots.disabled = false; list.removeAttribute('aria-busy'); });
  });

  // ---- the patient's appointments: retrieve, cancel, amend
  function patientFields() {
    var fields = { nhsNumber: nhs.value.replace(/\\s+/g, ''), session: session };
    var o = chosenOrganisation();
    if (o) fields.organisation = o;
    return fields;
  }
  function clearAction() {
    reset();
    actionResult.hidden = true; actionResult.textContent = ''; actionResult.removeAttribute('data-outcome'); actionResult.removeAttribute('data-appointment-id');
  }
  function post(path, body) {
    return fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(withUser(body)) }).then(answer);
  }
  function showAppointments(outcome) {
    appointments.textContent = '';
    (outcome.appointments || []).forEach(function (a) {
      var item = document.createElement('li');
      item.setAttribute('data-appointment-id', a.id);
      item.setAttribute('data-status', a.status);
      var words = [when(a.start) + '–' + until(a.end), a.serviceType, a.deliveryChannel, a.description, a.comment, a.status === 'cancelled' ? 'cancelled' : ''].filter(Boolean);
      item.appendChild(document.createTextNode(words.join(' · ') + ' '));
      if (a.status !== 'cancelled') {
        var cancel = document.createElement('button');
        cancel.type = 'button'; cancel.textContent = 'Cancel'; cancel.setAttribute('data-cancel-id', a.id);
        cancel.setAttribute('aria-label', 'Cancel the appointment ' + words[0]);
        cancel.addEventListener('click', function () { cancelAppointment(a.id); });
        var amend = document.createElement('button');
        amend.type = 'button'; amend.textContent = 'Change description or comment'; amend.setAttribute('data-amend-id', a.id);
        amend.addEventListener('click', function () {
          document.getElementById('amend-id').value = a.id;
          document.getElementById('amend-description').value = a.description || '';
          document.getElementById('amend-comment').value = a.comment || '';
          amendForm.hidden = false;
        });
        item.appendChild(cancel); item.appendChild(amend);
      }
      appointments.appendChild(item);
    });
    status.textContent = (outcome.appointments || []).length + ' appointment(s) at ' + outcome.practice + ' between ' + outcome.window.start + ' and ' + outcome.window.end + '.';
    appointments.setAttribute('data-loaded', 'true');
  }
  listAppointments.addEventListener('click', function () {
    clearAction();
    appointments.textContent = ''; appointments.removeAttribute('data-loaded'); amendForm.hidden = true;
    var body = patientFields();
    if (startInput.value && endInput.value) { body.start = startInput.value; body.end = endInput.value; }
    status.textContent = 'Retrieving…';
    post('/retrieve', body)
      .then(function (outcome) { status.textContent = ''; if (outcome.outcome !== 'retrieved') return showError(outcome); showAppointments(outcome); })
      .catch(function (e) { status.textContent = ''; showError({ message: String(e) }); });
  });
  function changed(outcome, kind) {
    status.textContent = '';
    if (outcome.outcome !== kind) return showError(outcome);
    amendForm.hidden = true;
    actionResult.setAttribute('data-outcome', outcome.outcome);
    actionResult.setAttribute('data-appointment-id', outcome.appointmentId);
    actionResult.textContent = (kind === 'cancelled' ? 'Cancelled' : 'Changed') + ': appointment ' + outcome.appointmentId + '.';
    actionResult.hidden = false;
    var item = appointments.querySelector('li[data-appointment-id="' + outcome.appointmentId + '"]');
    if (item && kind === 'cancelled') { item.setAttribute('data-status', 'cancelled'); Array.prototype.forEach.call(item.querySelectorAll('button'), function (b) { b.remove(); }); }
  }
  function cancelAppointment(id) {
    clearAction();
    var body = patientFields();
    body.appointmentId = id;
    if (cancelReason.value.trim()) body.reason = cancelReason.value.trim();
    status.textContent = 'Cancelling…';
    post('/cancel', body).then(function (o) { changed(o, 'cancelled'); }).catch(function (e) { status.textContent = ''; showError({ message: String(e) }); });
  }
  amendForm.addEventListener('submit', function (event) {
    event.preventDefault();
    clearAction();
    var body = patientFields();
    body.appointmentId = document.getElementById('amend-id').value;
    body.description = document.getElementById('amend-description').value;
    body.comment = document.getElementById('amend-comment').value;
    status.textContent = 'Saving…';
    post('/amend', body).then(function (o) { changed(o, 'amended'); }).catch(function (e) { status.textContent = ''; showError({ message: String(e) }); });
  });

  function book(slotId) {
    if (!searched) return;
    reset();
    status.textContent = 'Booking…';
    Array.prototype.forEach.call(list.querySelectorAll('button'), function (b) { b.disabled = true; });
    var body = { nhsNumber: searched.nhsNumber, slotId: slotId, session: session };
    if (searched.start) body.start = searched.start;
    if (searched.end) body.end = searched.end;
    if (searched.organisation) body.organisation = searched.organisation;
    fetch('/book', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(withUser(body)) })
      .then(answer)
      .then(function (outcome) {
        status.textContent = '';
        if (outcome.outcome !== 'booked') {
          Array.prototype.forEach.call(list.querySelectorAll('button'), function (b) { b.disabled = false; });
          return showError(outcome);
        }
        list.textContent = '';
        confirmation.setAttribute('data-appointment-id', outcome.appointmentId);
        confirmation.textContent = 'Booked: appointment ' + outcome.appointmentId + (outcome.slot ? ' on ' + when(outcome.slot.start) + '–' + until(outcome.slot.end) : '') + '.';
        confirmation.hidden = false;
      })
      .catch(function (e) { status.textContent = ''; showError({ message: String(e) }); });
  }
})();
</script>
</body>
</html>
`;
