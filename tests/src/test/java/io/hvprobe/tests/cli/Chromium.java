package io.hvprobe.tests.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Debian's {@code chromium}, headless, driven over the DevTools protocol (a WebSocket from Java's HttpClient,
 * messages as Jackson trees): open a page, evaluate script in it, click, take screenshots. One page per
 * instance; {@link #close()} ends the browser. Timeouts only guard against a hang (the machine may be loaded);
 * nothing here measures time.
 */
final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Guards every wait; far above what a loaded machine needs. */
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    private final Process process;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending;
    private final LinkedBlockingQueue<JsonNode> events;
    private final String session;

    private Chromium(Process process, WebSocket socket, Listener listener) throws Exception {
        this.process = process;
        this.socket = socket;
        this.pending = listener.pending;
        this.events = listener.events;
        String target = browser("Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
        session = browser("Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .get("sessionId").asText();
        send("Page.enable", Map.of());
        send("Runtime.enable", Map.of());
        send("Emulation.setDeviceMetricsOverride", Map.of("width", 1280, "height", 900, "deviceScaleFactor", 1,
                "mobile", false));
    }

    /** Starts headless chromium with its own profile under {@code profile}; fails when it is not installed. */
    static Chromium start(Path profile) throws Exception {
        Path binary = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser")).stream()
                .filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError(
                        "chromium is not installed (scripts/test installs it: apt-get install -y chromium)"));
        Files.createDirectories(profile);
        Path portFile = profile.resolve("DevToolsActivePort");
        Files.deleteIfExists(portFile);
        // --no-sandbox: the suite may run as root, where chromium's sandbox refuses to start.
        Process p = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
                "--remote-debugging-port=0", "--user-data-dir=" + profile.toAbsolutePath(), "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not start: " + Files.readString(profile.resolve(
                        "chromium.log")));
            }
            Thread.sleep(100);
        }
        List<String> lines = Files.readAllLines(portFile);
        URI uri = URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
        Listener listener = new Listener();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(PATIENCE)
                .buildAsync(uri, listener).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        return new Chromium(p, socket, listener);
    }

    /** Collects DevTools messages: replies complete their pending call, events queue up. */
    private static final class Listener implements WebSocket.Listener {
        final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode m = JSON.readTree(partial.toString());
                    if (m.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(m.get("id").asLong());
                        if (f != null) {
                            f.complete(m);
                        }
                    } else {
                        events.add(m);
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    /** Opens {@code file} and waits for its load event. */
    void open(Path file) throws Exception {
        events.clear();
        send("Page.navigate", Map.of("url", file.toAbsolutePath().toUri().toString()));
        awaitEvent("Page.loadEventFired");
    }

    /** The value of {@code expression} evaluated in the page (JSON-able). */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError("script failed: " + r.get("exceptionDetails"));
        }
        return r.get("result").path("value");
    }

    /** Clicks the middle of the first element matching {@code selector}, as a user would (mouse events). */
    void click(String selector) throws Exception {
        JsonNode box = eval("(() => { const e = document.querySelector(" + JSON.writeValueAsString(selector)
                + "); e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.left + Math.min(r.width / 2, 40), y: r.top + r.height / 2}; })()");
        for (String type : List.of("mousePressed", "mouseReleased")) {
            send("Input.dispatchMouseEvent", Map.of("type", type, "x", box.get("x").asDouble(), "y",
                    box.get("y").asDouble(), "button", "left", "clickCount", 1));
        }
    }

    /** A PNG of the viewport, or of the element matching {@code selector} (null: the viewport). */
    byte[] screenshot(String selector) throws Exception {
        Map<String, Object> params = new java.util.LinkedHashMap<>(Map.of("format", "png"));
        if (selector != null) {
            JsonNode r = eval("(() => { const e = document.querySelector(" + JSON.writeValueAsString(selector)
                    + "); const r = e.getBoundingClientRect(); return {x: r.left + window.scrollX,"
                    + " y: r.top + window.scrollY, width: r.width, height: Math.min(r.height, 2000)}; })()");
            params.put("clip", Map.of("x", r.get("x").asDouble(), "y", r.get("y").asDouble(), "width",
                    r.get("width").asDouble(), "height", r.get("height").asDouble(), "scale", 1));
            params.put("captureBeyondViewport", true);
        }
        return Base64.getDecoder().decode(send("Page.captureScreenshot", params).get("data").asText());
    }

    private JsonNode send(String method, Map<String, ?> params) throws Exception {
        return call(method, params, session);
    }

    private JsonNode browser(String method, Map<String, ?> params) throws Exception {
        return call(method, params, null);
    }

    private JsonNode call(String method, Map<String, ?> params, String sessionId) throws Exception {
        long id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", JSON.valueToTree(params));
        if (sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        synchronized (socket) {
            socket.sendText(JSON.writeValueAsString(msg), true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        JsonNode r = reply.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new AssertionError(method + ": " + r.get("error"));
        }
        return r.get("result");
    }

    private void awaitEvent(String method) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode e = events.poll(1, TimeUnit.SECONDS);
            if (e != null && e.get("method").asText().equals(method)) {
                return;
            }
        }
        throw new AssertionError("no " + method + " within " + PATIENCE);
    }

    @Override
    public void close() {
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
