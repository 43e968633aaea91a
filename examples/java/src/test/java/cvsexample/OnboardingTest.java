package cvsexample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's tests against a served fake (CVS_BASE_URL, --tenants open): a tenant per test. */
class OnboardingTest {
    private static final String BASE = System.getenv().getOrDefault("CVS_BASE_URL", "http://127.0.0.1:8080").replaceAll("/$", "");
    private final HttpClient http = HttpClient.newHttpClient();
    private String key;
    private String secret;

    private static String random(int bytes) {
        byte[] made = new byte[bytes];
        new SecureRandom().nextBytes(made);
        return HexFormat.of().formatHex(made);
    }

    private byte[] admin(String method, String path, String json) throws Exception {
        String auth = Base64.getEncoder().encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(BASE + "/__mock__" + path))
            .header("Authorization", "Basic " + auth)
            .header("Content-Type", "application/json")
            .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
            .build();
        HttpResponse<byte[]> answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertTrue(answer.statusCode() == 200 || answer.statusCode() == 201, method + " " + path + ": " + answer.statusCode());
        return answer.body();
    }

    private Map<String, Object> adminJson(String method, String path, String json) throws Exception {
        return Json.object(new String(admin(method, path, json), StandardCharsets.UTF_8));
    }

    private byte[] image(String json) throws Exception {
        return admin("POST", "/images", json);
    }

    private byte[][] shots(String json) throws Exception {
        Map<String, Object> made = adminJson("POST", "/images", json);
        Base64.Decoder decode = Base64.getDecoder();
        return new byte[][] {decode.decode((String) made.get("portrait_left")),
            decode.decode((String) made.get("portrait_mid")), decode.decode((String) made.get("portrait_right"))};
    }

    private EkycClient client() {
        return new EkycClient(BASE, key, secret);
    }

    @BeforeEach
    void ownTenant() throws Exception {
        key = "java-" + random(6);
        secret = random(12);
        admin("POST", "/reset", null);
    }

    @AfterEach
    void forgetTenant() throws Exception {
        admin("POST", "/reset?forget=true", null);
    }

    @Test
    void theHappyEkycPath() throws Exception {
        byte[] front = image("{\"kind\": \"id_card\", \"type\": \"chip_id_card_front\", \"identity\": \"mai\", "
            + "\"fields\": {\"name\": " + Json.quote("TRẦN THỊ MAI") + "}}");
        byte[] back = image("{\"kind\": \"id_card\", \"type\": \"chip_id_card_back\"}");
        assertEquals("TRẦN THỊ MAI", client().readCard(front, back).get("name"));
        byte[][] live = shots("{\"kind\": \"liveness_shots\", \"person\": \"mai\"}");
        assertTrue(client().checkLiveness(live[0], live[1], live[2]) > 0);
        assertTrue(client().match(front, live[1]) >= 80);
    }

    @Test
    void outOfRequestsIsItsOwnError() throws Exception {
        admin("POST", "/outcomes", "{\"flow\": \"ocr\", \"code\": \"4\"}");
        byte[] card = image("{\"kind\": \"id_card\", \"type\": \"chip_id_card_front\"}");
        assertThrows(EkycClient.QuotaExhausted.class, () -> client().readCard(card, card));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDroppedConnectionIsRetriedAndBilledOnce() throws Exception {
        admin("POST", "/outcomes", "{\"flow\": \"ocr\", \"fault\": \"drop\"}");
        byte[] front = image("{\"kind\": \"id_card\", \"type\": \"chip_id_card_front\"}");
        byte[] back = image("{\"kind\": \"id_card\", \"type\": \"chip_id_card_back\"}");
        client().readCard(front, back);
        Map<String, Object> totals = (Map<String, Object>) adminJson("GET", "/usage", null).get("totals");
        Map<String, Object> cards = (Map<String, Object>) ((Map<String, Object>) totals.get(key)).get("ekyc/cards");
        assertEquals(2.0, cards.get("requests"));
        assertEquals(1.0, cards.get("billable"));
    }

    @Test
    void aSpoofedMidShotAsksForThatShotAgain() throws Exception {
        byte[][] live = shots("{\"kind\": \"liveness_shots\", \"person\": \"an\", "
            + "\"mid\": {\"kind\": \"portrait\", \"person\": \"an\", \"spoof\": \"screen\"}}");
        EkycClient.NotLive refused = assertThrows(EkycClient.NotLive.class, () -> client().checkLiveness(live[0], live[1], live[2]));
        assertEquals("6", refused.invalidCode);
        assertEquals("mid", refused.retake);
    }

    @Test
    void theJournalSaysWhatTheClientSent() throws Exception {
        byte[] card = image("{\"kind\": \"id_card\", \"type\": \"chip_id_card_front\"}");
        client().readCard(card, image("{\"kind\": \"id_card\", \"type\": \"chip_id_card_back\"}"));
        assertEquals(1.0, adminJson("GET", "/journal?endpoint=ekyc/cards&code=0&count=true", null).get("count"));
    }
}
