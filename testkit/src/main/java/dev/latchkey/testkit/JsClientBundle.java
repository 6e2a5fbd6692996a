package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The browser client {@code @latchkey/client} as a browser loads it: {@code clients/js/dist}, built with its own
 * toolchain ({@code npm ci}, {@code tsc}) when missing, and served by Playwright under a path prefix of the page's
 * origin, so a test page imports it same-origin without any server of ours serving files.
 */
public final class JsClientBundle {
    private final Path dist;

    private JsClientBundle(Path dist) {
        this.dist = dist.normalize();
    }

    /** @param project the {@code clients/js} folder, relative to the module running the test */
    public static JsClientBundle built(Path project) {
        Path dist = project.resolve("dist");
        if (!Files.isRegularFile(dist.resolve("index.js"))) {
            NodeProject.Run r = NodeProject.prepare(project).npm(Map.of(), Duration.ofMinutes(3), "run", "build");
            assertThat(r.exitCode()).as(r.output()).isZero();
        }
        return new JsClientBundle(dist);
    }

    /** Answers a request for {@code <origin>/<prefix>/<file>} with that file of the bundle, or 404. */
    public void serve(Route route, String prefix) {
        String url = route.request().url().replaceFirst("[?#].*$", "");
        String marker = "/" + prefix + "/";
        int at = url.indexOf(marker, url.indexOf("//") + 2);
        Path file = at < 0 ? null : dist.resolve(url.substring(at + marker.length())).normalize();
        if (file == null || !file.startsWith(dist) || !Files.isRegularFile(file)) {
            route.fulfill(new Route.FulfillOptions().setStatus(404));
            return;
        }
        route.fulfill(new Route.FulfillOptions().setPath(file).setContentType("text/javascript"));
    }
}
