package io.defenderalertroutes.observe;

import java.util.Map;

/**
 * The status page's HTML: one self-contained page (no script or style from elsewhere), a row per tenant, a filter
 * box (kept in the address's {@code #filter=} so that a link can carry it) and a refresh every 30 seconds that
 * keeps the filter.
 */
final class StatusPage {

    static final String HEAD = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>defender-alert-routes: status</title>
            <style>
            body{font:14px system-ui,sans-serif;margin:1.2em;color:#1d1d1f}
            h1{font-size:1.3em;margin:0 0 .4em}
            #filter{font-size:1em;padding:.35em .6em;width:22em;margin:.3em 0 .8em}
            table{border-collapse:collapse;width:100%}
            th,td{text-align:left;vertical-align:top;padding:.35em .55em;border-bottom:1px solid #ddd}
            th{background:#f3f3f5;position:sticky;top:0}
            tr.failing td{background:#fdecec}
            .bad{color:#b3261e}.good{color:#1e7d32}.muted{color:#777}
            td{white-space:nowrap}
            td.wrap{white-space:normal;min-width:9em}
            td.error{white-space:normal;min-width:22em}
            .fix{display:block;margin-top:.2em;color:#5b4a00}
            </style></head><body>
            <h1>defender-alert-routes</h1>
            <input id="filter" type="search" placeholder="Filter tenants (name, source, error...)" aria-label="Filter tenants">
            """;

    static final String TABLE_HEAD = """
            <table id="tenants"><thead><tr><th>Tenant</th><th>Source</th><th>Criteria</th><th>Last poll</th>
            <th>Next poll</th><th>Checkpoint lag</th><th>Delivered</th><th>Duplicates</th><th>Dead letters</th>
            <th>Role</th><th>Last error and fix</th></tr></thead>
            """;

    static final String SCRIPT = """
            <script>
            (function () {
              var box = document.getElementById('filter');
              function apply() {
                var words = box.value.trim().toLowerCase();
                document.querySelectorAll('#rows tr').forEach(function (row) {
                  row.hidden = words !== '' && row.textContent.toLowerCase().indexOf(words) < 0;
                });
              }
              var m = /filter=([^&]*)/.exec(location.hash);
              if (m) { box.value = decodeURIComponent(m[1]); }
              box.addEventListener('input', function () {
                history.replaceState(null, '', '#filter=' + encodeURIComponent(box.value));
                apply();
              });
              apply();
              setInterval(function () {
                fetch(location.pathname + location.search, {credentials: 'same-origin'}).then(function (r) {
                  return r.ok ? r.text() : null;
                }).then(function (text) {
                  if (!text) { return; }
                  var fresh = new DOMParser().parseFromString(text, 'text/html');
                  document.getElementById('rows').replaceWith(fresh.getElementById('rows'));
                  document.getElementById('summary').replaceWith(fresh.getElementById('summary'));
                  document.getElementById('notices').replaceWith(fresh.getElementById('notices'));
                  apply();
                }).catch(function () {});
              }, 30000);
            })();
            </script>
            """;

    private StatusPage() {
    }

    /** The process's problems, above the tenants (always there, empty or not, for the refresh to replace). */
    static void notices(StringBuilder page, java.util.List<StatusReport.Notice> notices) {
        page.append("<div id=\"notices\">");
        for (StatusReport.Notice notice : notices) {
            page.append("<p class=\"notice\"><b>").append(escape(notice.what())).append("</b>: <span class=\"bad\">")
                    .append(escape(notice.problem())).append("</span><span class=\"fix\">Fix: ").append(escape(notice.fix()))
                    .append("</span></p>");
        }
        page.append("</div>\n");
    }

    static void row(StringBuilder page, Map<String, Object> row) {
        boolean failing = (Boolean) row.get("failing");
        page.append("<tr").append(failing ? " class=\"failing\"" : "").append(" data-tenant=\"")
                .append(escape(row.get("tenant"))).append("\">");
        Object certificate = row.get("certificateExpires");
        cell(page, "<b>" + escape(row.get("tenant")) + "</b>" + (failing ? " <span class=\"bad\">failing</span>" : "")
                + (certificate == null ? "" : "<br><span class=\"bad certificate\">certificate expires " + time(certificate)
                        + "</span>"));
        cell(page, escape(row.get("source")) + "<br><span class=\"muted configured\">" + escape(row.get("configuredBy"))
                + ", loaded " + time(row.get("loadedAt")) + "</span>");
        page.append("<td class=\"wrap\">").append(escape(row.get("criteria"))).append("</td>");
        Object last = row.get("lastPoll");
        cell(page, last == null ? "<span class=\"muted\">none yet</span>" : time(last) + "<br><span class=\""
                + ("failed".equals(row.get("lastPollOutcome")) ? "bad" : "good") + "\">" + escape(row.get("lastPollOutcome"))
                + "</span>" + (row.get("lastPollMillis") == null ? "" : " in " + row.get("lastPollMillis") + " ms"));
        cell(page, row.get("nextPoll") == null ? "<span class=\"muted\">&ndash;</span>" : time(row.get("nextPoll")));
        Object lag = row.get("checkpointLagSeconds");
        cell(page, lag == null ? "<span class=\"muted\">no checkpoint</span>" : lag(((Number) lag).longValue()));
        cell(page, counts((Map<?, ?>) row.get("delivered")));
        cell(page, escape(row.get("duplicates")));
        Map<?, ?> pending = (Map<?, ?>) row.get("deadLettersPending");
        cell(page, pending.values().stream().allMatch(n -> ((Number) n).intValue() == 0) ? "0"
                : "<span class=\"bad\">" + counts(pending) + "</span>");
        cell(page, escape(row.get("role")));
        Object error = row.get("lastError");
        page.append("<td class=\"error\">");
        if (error != null) {
            page.append(time(row.get("lastErrorAt"))).append(": ").append(escape(error))
                    .append("<span class=\"fix\">Fix: ").append(escape(row.get("fix"))).append("</span>");
        }
        page.append("</td></tr>\n");
    }

    private static void cell(StringBuilder page, String html) {
        page.append("<td>").append(html).append("</td>");
    }

    private static String counts(Map<?, ?> counts) {
        if (counts.isEmpty()) {
            return "0";
        }
        StringBuilder text = new StringBuilder();
        counts.forEach((sink, n) -> text.append(text.length() == 0 ? "" : "<br>").append(escape(sink)).append(": ")
                .append(escape(n)));
        return text.toString();
    }

    /** A timestamp to the second, UTC; the full one in its tooltip. */
    private static String time(Object timestamp) {
        String text = String.valueOf(timestamp);
        String shown = text.length() >= 19 ? text.substring(0, 19).replace('T', ' ') + " UTC" : text;
        return "<time title=\"" + escape(text) + "\">" + escape(shown) + "</time>";
    }

    private static String lag(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        return seconds < 7200 ? seconds / 60 + " min" : seconds / 3600 + " h";
    }

    static String escape(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
