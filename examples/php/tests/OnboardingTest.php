<?php
// The client's tests against a served fake (CVS_BASE_URL, started with --tenants open): each
// test is a tenant of its own, reset before it and forgotten after it.

declare(strict_types=1);

require_once __DIR__ . '/../src/EkycClient.php';

use CvsExample\EkycClient;
use CvsExample\NotLive;
use CvsExample\QuotaExhausted;
use PHPUnit\Framework\TestCase;

final class OnboardingTest extends TestCase
{
    private string $base;
    private string $key;
    private string $secret;

    protected function setUp(): void
    {
        $this->base = rtrim(getenv('CVS_BASE_URL') ?: 'http://127.0.0.1:8080', '/');
        $this->key = 'php-' . bin2hex(random_bytes(6));
        $this->secret = bin2hex(random_bytes(12));
        $this->admin('POST', '/reset');
    }

    protected function tearDown(): void
    {
        $this->admin('POST', '/reset?forget=true');
    }

    private function admin(string $method, string $path, ?array $body = null): string
    {
        $auth = base64_encode("{$this->key}:{$this->secret}");
        $context = stream_context_create(['http' => [
            'method' => $method, 'ignore_errors' => true,
            'header' => "Authorization: Basic $auth\r\nContent-Type: application/json\r\n",
            'content' => $body === null ? '' : json_encode($body),
        ]]);
        $answer = file_get_contents($this->base . '/__mock__' . $path, false, $context);
        $this->assertMatchesRegularExpression('/^HTTP\/1\.\d 20[01]/', $http_response_header[0], "$method $path");
        return $answer;
    }

    private function image(array $spec): string
    {
        return $this->admin('POST', '/images', $spec);
    }

    /** @return list<string> */
    private function shots(array $spec): array
    {
        $made = json_decode($this->image(['kind' => 'liveness_shots'] + $spec), true);
        return array_map('base64_decode', [$made['portrait_left'], $made['portrait_mid'], $made['portrait_right']]);
    }

    private function client(): EkycClient
    {
        return new EkycClient($this->base, $this->key, $this->secret);
    }

    public function testTheHappyEkycPath(): void
    {
        $front = $this->image(['kind' => 'id_card', 'type' => 'chip_id_card_front', 'identity' => 'mai',
            'fields' => ['name' => 'TRẦN THỊ MAI']]);
        $back = $this->image(['kind' => 'id_card', 'type' => 'chip_id_card_back']);
        $this->assertSame('TRẦN THỊ MAI', $this->client()->readCard($front, $back)['name']);
        [$left, $mid, $right] = $this->shots(['person' => 'mai']);
        $this->assertGreaterThan(0, $this->client()->checkLiveness($left, $mid, $right));
        $this->assertGreaterThanOrEqual(80, $this->client()->match($front, $mid));
    }

    public function testOutOfRequestsIsItsOwnError(): void
    {
        $this->admin('POST', '/outcomes', ['flow' => 'ocr', 'code' => '4']);
        $card = $this->image(['kind' => 'id_card', 'type' => 'chip_id_card_front']);
        $this->expectException(QuotaExhausted::class);
        $this->client()->readCard($card, $card);
    }

    public function testADroppedConnectionIsRetriedAndBilledOnce(): void
    {
        $this->admin('POST', '/outcomes', ['flow' => 'ocr', 'fault' => 'drop']);
        $front = $this->image(['kind' => 'id_card', 'type' => 'chip_id_card_front']);
        $back = $this->image(['kind' => 'id_card', 'type' => 'chip_id_card_back']);
        $this->client()->readCard($front, $back);
        $usage = json_decode($this->admin('GET', '/usage'), true);
        $this->assertSame(['requests' => 2, 'billable' => 1], $usage['totals'][$this->key]['ekyc/cards']);
    }

    public function testASpoofedMidShotAsksForThatShotAgain(): void
    {
        [$left, $mid, $right] = $this->shots(['person' => 'an',
            'mid' => ['kind' => 'portrait', 'person' => 'an', 'spoof' => 'screen']]);
        try {
            $this->client()->checkLiveness($left, $mid, $right);
            $this->fail('a spoofed shot passed');
        } catch (NotLive $refused) {
            $this->assertSame('6', $refused->invalidCode);
            $this->assertSame('mid', $refused->retake);
        }
    }

    public function testTheJournalSaysWhatTheClientSent(): void
    {
        $card = $this->image(['kind' => 'id_card', 'type' => 'chip_id_card_front']);
        $this->client()->readCard($card, $this->image(['kind' => 'id_card', 'type' => 'chip_id_card_back']));
        $counted = json_decode($this->admin('GET', '/journal?endpoint=ekyc/cards&code=0&count=true'), true);
        $this->assertSame(['count' => 1], $counted);
    }
}
