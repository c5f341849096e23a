// JS half of the fetch bridge (web/platform/http_web.cpp): fetch() with an AbortController,
// the body streamed chunk by chunk from response.body.getReader() into C++. No Asyncify, no
// XMLHttpRequest: each callback runs between frames and the C++ side never blocks.
mergeInto(LibraryManager.library, {
  $wcFetch: {
    controllers: {},
    // A fetch() that rejects has no status: the browser hides whether CORS or the network failed.
    explain: function (url, err) {
      var msg = (err && err.message) ? err.message : String(err);
      var crossOrigin = false;
      try { crossOrigin = new URL(url, location.href).origin !== location.origin; } catch (e) {}
      if (crossOrigin) {
        return 'no HTTP response (' + msg + '): the browser refused the request or could not reach ' +
          'the server. For a cross-origin endpoint this is usually CORS: the server sent no ' +
          'Access-Control-Allow-Origin header, or its preflight did not allow the Authorization / ' +
          'x-api-key / anthropic-version headers. Use the local relay of `wirecheck serve` to reach it.';
      }
      return 'no HTTP response (' + msg + '): the server could not be reached';
    },
  },

  wc_fetch_start__deps: ['$wcFetch', 'malloc', 'free'],
  wc_fetch_start: function (id, methodPtr, urlPtr, headersPtr, bodyPtr, bodyLen, timeoutMs) {
    var method = UTF8ToString(methodPtr);
    var url = UTF8ToString(urlPtr);
    var headers = JSON.parse(UTF8ToString(headersPtr));
    var body = bodyLen > 0 ? HEAPU8.slice(bodyPtr, bodyPtr + bodyLen) : undefined;
    var controller = new AbortController();
    var state = { controller: controller, timedOut: false, cancelled: false };
    wcFetch.controllers[id] = state;
    var timer = timeoutMs > 0 ? setTimeout(function () { state.timedOut = true; controller.abort(); }, timeoutMs) : 0;

    function withString(s, fn) {
      var len = lengthBytesUTF8(s) + 1;
      var ptr = _malloc(len);
      stringToUTF8(s, ptr, len);
      try { fn(ptr); } finally { _free(ptr); }
    }
    function finish() { clearTimeout(timer); delete wcFetch.controllers[id]; }
    function fail(err) {
      finish();
      var kind = state.timedOut ? 1 : (state.cancelled ? 2 : 0);
      var msg = kind === 1 ? 'timed out after ' + timeoutMs + ' ms' :
                kind === 2 ? 'cancelled' : wcFetch.explain(url, err);
      withString(msg, function (p) { Module['_wc_fetch_on_failure'](id, kind, p); });
    }

    fetch(url, { method: method, headers: headers, body: body, signal: controller.signal, cache: 'no-store' })
      .then(function (response) {
        var flat = '';
        response.headers.forEach(function (value, name) { flat += name + '\n' + value + '\n'; });
        withString(flat, function (p) { Module['_wc_fetch_on_headers'](id, response.status, p); });
        if (!response.body) { finish(); Module['_wc_fetch_on_done'](id); return; }
        var reader = response.body.getReader();
        function pump() {
          return reader.read().then(function (r) {
            if (r.done) { finish(); Module['_wc_fetch_on_done'](id); return; }
            var chunk = r.value;
            var ptr = _malloc(chunk.length || 1);
            HEAPU8.set(chunk, ptr);
            try { Module['_wc_fetch_on_chunk'](id, ptr, chunk.length); } finally { _free(ptr); }
            return pump();
          });
        }
        return pump();
      })
      .catch(fail);
  },

  wc_fetch_cancel__deps: ['$wcFetch'],
  wc_fetch_cancel: function (id) {
    var state = wcFetch.controllers[id];
    if (state) { state.cancelled = true; state.controller.abort(); }
  },

  // window.wirecheck: the test hook. state() is the app's own JSON (web/test_hook.cpp).
  
  wc_install_test_hook: function () {
    window.wirecheck = {
      state: function () { return JSON.parse(UTF8ToString(Module['_wc_hook_state']())); },
      ready: function () { try { return this.state().frame > 0; } catch (e) { return false; } },
    };
  },
});
