package cvsexample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An eKYC client of the CVS API v2 on the JDK's own HTTP client: read a citizen card, check that
 * three portraits are one live person, match the card to the selfie. It retries a dropped
 * connection, and says which shot to take again.
 */
public final class EkycClient {
    private static final String QUOTA = "4";
    private static final Map<String, String> RETAKE = Map.of(
        "1", "mid", "2", "left", "3", "right", "4", "left", "5", "right", "6", "mid", "7", "left", "8", "right");

    public static final class QuotaExhausted extends RuntimeException {
        public QuotaExhausted(String message) { super(message); }
    }

    public static final class NotLive extends RuntimeException {
        public final String invalidCode;
        public final String retake;

        public NotLive(String message, String invalidCode, String retake) {
            super(message);
            this.invalidCode = invalidCode;
            this.retake = retake;
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String auth;
    private final int retries;

    public EkycClient(String baseUrl, String apiKey, String apiSecret) {
        this.baseUrl = baseUrl.replaceAll("/$", "");
        this.auth = "Basic " + Base64.getEncoder().encodeToString((apiKey + ":" + apiSecret).getBytes(StandardCharsets.UTF_8));
        this.retries = 2;
    }

    private Map<String, Object> post(String path, Map<String, byte[]> parts) {
        String boundary = "cvs" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> part : parts.entrySet()) {
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.getKey()
                + "\"; filename=\"" + part.getKey() + ".png\"\r\nContent-Type: application/octet-stream\r\n\r\n";
            body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
            body.writeBytes(part.getValue());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Authorization", auth)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build();
        for (int attempt = 0; ; attempt++) {
            try {
                return Json.object(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
            } catch (IOException dropped) {
                if (attempt >= retries) throw new RuntimeException("no answer from " + path, dropped);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
                throw new RuntimeException(stopped);
            }
        }
    }

    private static void refuseQuota(Map<String, Object> body) {
        if (QUOTA.equals(String.valueOf(body.get("errorCode")))) throw new QuotaExhausted((String) body.get("errorMessage"));
    }

    /** The front's info, read from both sides of a card. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> readCard(byte[] front, byte[] back) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("img1", front);
        parts.put("img2", back);
        Map<String, Object> body = post("/api/v2/ekyc/cards?format_type=file", parts);
        refuseQuota(body);
        if (!"0".equals(String.valueOf(body.get("errorCode")))) throw new RuntimeException("card rejected: " + body.get("errorMessage"));
        for (Object item : (List<Object>) body.get("data")) {
            Map<String, Object> side = (Map<String, Object>) item;
            if (((String) side.get("type")).endsWith("_front")) return (Map<String, Object>) side.get("info");
        }
        throw new RuntimeException("no front side read");
    }

    @SuppressWarnings("unchecked")
    public double checkLiveness(byte[] left, byte[] mid, byte[] right) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("portrait_left", left);
        parts.put("portrait_mid", mid);
        parts.put("portrait_right", right);
        Map<String, Object> body = post("/api/v2/ekyc/verify_liveness", parts);
        refuseQuota(body);
        Map<String, Object> data = (Map<String, Object>) body.get("data");
        String code = String.valueOf(data.get("invalidCode"));
        if (!"0".equals(code)) throw new NotLive((String) data.get("invalidMessage"), code, RETAKE.getOrDefault(code, "mid"));
        return Double.parseDouble((String) data.get("matching_mid_left"));
    }

    @SuppressWarnings("unchecked")
    public double match(byte[] card, byte[] selfie) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("img1", card);
        parts.put("img2", selfie);
        Map<String, Object> body = post("/api/v2/ekyc/face_matching?format_type=file&type1=card", parts);
        refuseQuota(body);
        return Double.parseDouble((String) ((Map<String, Object>) body.get("data")).get("matching"));
    }
}
