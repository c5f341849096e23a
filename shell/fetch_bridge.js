// JS half of the fetch bridge (web/platform/http_web.cpp): fetch() with an AbortController,
// the body streamed chunk by chunk from response.body.getReader() into C++. No Asyncify, no
// XMLHttpRequest: each callback runs between frames and the C++ side never blocks.
mergeInto(LibraryManager.library, {
  $wcFetch: {
    controllers: {},
    // A fetch() that rejects has no status and no reason. Ask again in no-cors mode: an opaque
    // answer means the server is up and CORS refused us (kind 3); a second failure means the
    // network (kind 0). The no-cors probe sends no headers and no body, so no key leaves.
    classify: function (url, err, done) {
      var msg = (err && err.message) ? err.message : String(err);
      var crossOrigin = false;
      try { crossOrigin = new URL(url, location.href).origin !== location.origin; } catch (e) {}
      if (!crossOrigin) { done(0, 'no HTTP response (' + msg + '): the server could not be reached'); return; }
      var probe = new AbortController();
      var timer = setTimeout(function () { probe.abort(); }, 5000);
      fetch(url, { method: 'GET', mode: 'no-cors', cache: 'no-store', credentials: 'omit', signal: probe.signal })
        .then(function () {
          clearTimeout(timer);
          done(3, 'the server answered, but the browser withheld the response (' + msg + '): CORS. ' +
            'The server sent no Access-Control-Allow-Origin for this page, or its preflight did not ' +
            'allow the request headers (Authorization / x-api-key / anthropic-version / content-type).');
        })
        .catch(function () {
          clearTimeout(timer);
          done(0, 'no HTTP response (' + msg + '): the server could not be reached (DNS, TLS, refused ' +
            'connection, or an extension blocking it)');
        });
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
    function report(kind, msg) {
      withString(msg, function (p) { Module['_wc_fetch_on_failure'](id, kind, p); });
    }
    function fail(err) {
      finish();
      if (state.timedOut) { report(1, 'timed out after ' + timeoutMs + ' ms'); return; }
      if (state.cancelled) { report(2, 'cancelled'); return; }
      wcFetch.classify(url, err, report);
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

  // window.wirecheck: the page's small JS API (documented in README, shown in
  // shell/embed-example.html) and the test hook.
  //   state()                        the app's state as JSON (never the key)
  //   ready()                        true once frames are drawn
  //   run(config) -> Promise<report> config: {scenario} or {base_url, model, api_key, steps}
  //   translate(from, to, kind, text) -> {ok, output, losses} or {ok: false, error}
  wc_install_test_hook__deps: ['malloc', 'free'],
  wc_install_test_hook: function () {
    function str(fn, args) {
      var ptrs = [];
      try {
        var cargs = args.map(function (a) {
          var len = lengthBytesUTF8(a) + 1, p = _malloc(len);
          stringToUTF8(a, p, len);
          ptrs.push(p);
          return p;
        });
        return UTF8ToString(Module[fn].apply(null, cargs));
      } finally { ptrs.forEach(function (p) { _free(p); }); }
    }
    window.wirecheck = {
      state: function () { return JSON.parse(UTF8ToString(Module['_wc_hook_state']())); },
      ready: function () { try { return this.state().frame > 0; } catch (e) { return false; } },
      run: function (config) {
        var error = str('_wc_api_run', [JSON.stringify(config || {})]);
        if (error) return Promise.reject(new Error(error));
        return new Promise(function (resolve) {
          (function poll() {
            if (Module['_wc_api_run_status']() === 2) resolve(JSON.parse(UTF8ToString(Module['_wc_api_report']())));
            else setTimeout(poll, 50);
          })();
        });
      },
      translate: function (from, to, kind, text) {
        return JSON.parse(str('_wc_api_translate', [from, to, kind, text]));
      },
    };
  },
});
