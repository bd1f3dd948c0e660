// The service's HTTP API as the page uses it. State-changing calls carry the X-Rsynth-Playground header and a JSON
// body: the gateway refuses anything else (CSRF defence).

/** An error as the service reports it: code, message, stage (error.v1). */
export class ServiceError extends Error {
  constructor({code, message, stage}, status) {
    super(message);
    this.code = code;
    this.stage = stage;
    this.status = status;
  }
}

async function answer(response) {
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    const error = body && body.error ? body.error
        : {code: 'HTTP_' + response.status, message: text || response.statusText, stage: 'gateway'};
    throw new ServiceError(error, response.status);
  }
  return body;
}

export async function getJson(url) {
  return answer(await fetch(url, {headers: {Accept: 'application/json'}, credentials: 'same-origin'}));
}

export async function getText(url) {
  const response = await fetch(url, {credentials: 'same-origin'});
  if (!response.ok) await answer(response);
  return response.text();
}

export async function post(url, body) {
  return answer(await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', 'X-Rsynth-Playground': '1', Accept: 'application/json'},
    body: JSON.stringify(body ?? {}),
  }));
}

/** Follows a task's server-sent events until its outcome; returns a function that stops following. */
export function follow(id, onEvent, onBroken) {
  const source = new EventSource('/api/v1/playground/tasks/' + encodeURIComponent(id) + '/events');
  let done = false;
  source.onmessage = message => {
    const event = JSON.parse(message.data);
    if (event.kind === 'outcome') {
      done = true;
      source.close();
    }
    onEvent(event);
  };
  source.onerror = () => {
    if (!done && source.readyState === EventSource.CLOSED) onBroken();
  };
  return () => source.close();
}
