// "Only the latest answer draws": year, selection and view can change faster than answers come.
// Each call of the function latestOnly() returns starts a request and aborts the one the previous
// call still has in flight, so a stale answer neither draws nor keeps the server busy. What it
// hands back: the signal to give fetch, and stale() for the work after the answers (a request
// made without the signal, or finishing just as a newer one starts, is caught there).

export function latestOnly() {
  let current = null;
  return function begin() {
    current?.abort();
    const controller = new AbortController();
    current = controller;
    return { signal: controller.signal, stale: () => controller !== current };
  };
}

// An aborted fetch rejects with an AbortError: a superseded request, not a failure to show.
export const wasAborted = (e) => e?.name === 'AbortError';
