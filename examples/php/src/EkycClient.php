<?php
// An eKYC client of the CVS API v2 in plain PHP (streams, no extension beyond json): read a
// citizen card, check three portraits are one live person, match the card to the selfie.
// It retries a dropped connection and says which shot to take again.

declare(strict_types=1);

namespace CvsExample;

final class QuotaExhausted extends \RuntimeException {}

final class NotLive extends \RuntimeException
{
    public function __construct(string $message, public readonly string $invalidCode, public readonly string $retake)
    {
        parent::__construct($message);
    }
}

final class EkycClient
{
    private const QUOTA = '4';
    private const RETAKE = ['1' => 'mid', '2' => 'left', '3' => 'right', '4' => 'left', '5' => 'right',
        '6' => 'mid', '7' => 'left', '8' => 'right'];

    private string $auth;

    public function __construct(private string $baseUrl, string $apiKey, string $apiSecret, private int $retries = 2)
    {
        $this->baseUrl = rtrim($baseUrl, '/');
        $this->auth = 'Basic ' . base64_encode("$apiKey:$apiSecret");
    }

    /** @param array<string, string> $parts */
    private function post(string $path, array $parts): array
    {
        $boundary = 'cvs' . bin2hex(random_bytes(8));
        $body = '';
        foreach ($parts as $name => $bytes) {
            $body .= "--$boundary\r\nContent-Disposition: form-data; name=\"$name\"; filename=\"$name.png\"\r\n"
                . "Content-Type: application/octet-stream\r\n\r\n$bytes\r\n";
        }
        $body .= "--$boundary--\r\n";
        $context = stream_context_create(['http' => [
            'method' => 'POST', 'ignore_errors' => true, 'timeout' => 30,
            'header' => "Authorization: {$this->auth}\r\nContent-Type: multipart/form-data; boundary=$boundary\r\n",
            'content' => $body,
        ]]);
        for ($attempt = 0; ; $attempt++) {
            $answer = @file_get_contents($this->baseUrl . $path, false, $context);
            if ($answer !== false) {
                return json_decode($answer, true, 64, JSON_THROW_ON_ERROR);
            }
            if ($attempt >= $this->retries) {  // a dropped connection: the request is sent again
                throw new \RuntimeException("no answer from $path");
            }
        }
    }

    /** The front's info, read from both sides of a card. */
    public function readCard(string $front, string $back): array
    {
        $body = $this->post('/api/v2/ekyc/cards?format_type=file', ['img1' => $front, 'img2' => $back]);
        $this->refuseQuota($body);
        if ((string) $body['errorCode'] !== '0') {
            throw new \RuntimeException('card rejected: ' . $body['errorMessage']);
        }
        foreach ($body['data'] as $item) {
            if (str_ends_with($item['type'], '_front')) {
                return $item['info'];
            }
        }
        throw new \RuntimeException('no front side read');
    }

    public function checkLiveness(string $left, string $mid, string $right): float
    {
        $body = $this->post('/api/v2/ekyc/verify_liveness',
            ['portrait_left' => $left, 'portrait_mid' => $mid, 'portrait_right' => $right]);
        $this->refuseQuota($body);
        $code = (string) $body['data']['invalidCode'];
        if ($code !== '0') {
            throw new NotLive($body['data']['invalidMessage'], $code, self::RETAKE[$code] ?? 'mid');
        }
        return (float) $body['data']['matching_mid_left'];
    }

    public function match(string $card, string $selfie): float
    {
        $body = $this->post('/api/v2/ekyc/face_matching?format_type=file&type1=card', ['img1' => $card, 'img2' => $selfie]);
        $this->refuseQuota($body);
        return (float) $body['data']['matching'];
    }

    private function refuseQuota(array $body): void
    {
        if ((string) $body['errorCode'] === self::QUOTA) {
            throw new QuotaExhausted($body['errorMessage']);
        }
    }
}
