package example.soc;

import java.util.Map;

import org.apache.camel.Header;
import org.apache.camel.Headers;

/** The SOC's own triage step: a priority and a queue for each alert, from its severity and category. */
public class Triage {

    private String urgentQueue = "soc-urgent";

    public void setUrgentQueue(String urgentQueue) {
        this.urgentQueue = urgentQueue;
    }

    public void stamp(@Header("Defender-Severity") String severity, @Header("Defender-Category") String category,
            @Headers Map<String, Object> headers) {
        String priority = "High".equals(severity) ? "P1" : "Medium".equals(severity) ? "P2" : "P3";
        headers.put("Soc-Priority", priority);
        headers.put("Soc-Queue", priority.equals("P1") || "Ransomware".equals(category) ? urgentQueue : "soc-triage");
    }
}
