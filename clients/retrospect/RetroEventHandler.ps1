# Vigil's RetroEventHandler for Retrospect on Windows (engine and client); retroeventhandler.bat starts it.
#
# Sends the event and its arguments to Vigil and gets out of the way: it never intervenes (exit 0, the
# intervention file is never written), never holds Retrospect for more than about 5 seconds, and when Vigil
# cannot be reached it keeps the call in a spool folder: a hidden retrier sends the spool as soon as Vigil answers
# again (every 2 s, doubling to every 30 s, for up to an hour), and the next call that reaches Vigil sends it too.
# Each call keeps its Idempotency-Key (a call sent twice is counted once) and the time Retrospect ran the handler.
#
# Configuration, from the environment or from retroeventhandler.conf beside this file (KEY=value lines):
#   VIGIL_URL, VIGIL_TOKEN (required), VIGIL_SPOOL (default: vigil-spool beside this file)

$ErrorActionPreference = 'SilentlyContinue'
$self = $MyInvocation.MyCommand.Path
$dir = Split-Path -Parent $self
$config = @{ VIGIL_URL = $env:VIGIL_URL; VIGIL_TOKEN = $env:VIGIL_TOKEN; VIGIL_SPOOL = $env:VIGIL_SPOOL }
$confFile = Join-Path $dir 'retroeventhandler.conf'
if (Test-Path $confFile) {
    foreach ($line in Get-Content $confFile) {
        $i = $line.IndexOf('=')
        if ($i -gt 0) {
            $key = $line.Substring(0, $i).Trim()
            if ($config.ContainsKey($key) -and -not $config[$key]) { $config[$key] = $line.Substring($i + 1).Trim() }
        }
    }
}
if (-not $config.VIGIL_URL -or -not $config.VIGIL_TOKEN) { exit 0 }
$spool = if ($config.VIGIL_SPOOL) { $config.VIGIL_SPOOL } else { Join-Path $dir 'vigil-spool' }
$endpoint = $config.VIGIL_URL.TrimEnd('/') + '/hooks/retrospect'

function Send-Call([string]$key, [string]$occurred, [string[]]$argv, [int]$seconds) {
    # Retrospect hands every argument over in double quotes; Vigil strips one surrounding pair itself.
    $parts = @('host=' + [uri]::EscapeDataString($env:COMPUTERNAME), 'platform=Windows', 'occurred=' + $occurred)
    foreach ($a in $argv) { $parts += 'arg=' + [uri]::EscapeDataString([string]$a) }
    try {
        $response = Invoke-WebRequest -Uri $endpoint -Method Post -UseBasicParsing -TimeoutSec $seconds `
            -ContentType 'application/x-www-form-urlencoded; charset=utf-8' `
            -Headers @{ Authorization = 'Bearer ' + $config.VIGIL_TOKEN; 'Idempotency-Key' = $key } `
            -Body ([Text.Encoding]::UTF8.GetBytes($parts -join '&'))
        return [int]$response.StatusCode
    } catch [System.Net.WebException] {
        if ($_.Exception.Response) { return [int]$_.Exception.Response.StatusCode }
        return 0
    } catch {
        return 0
    }
}

# Taken (2xx) or refused for good as bad input (400, 413: Vigil keeps those on backup.rejected itself).
function Test-Settled([int]$status) { return ($status -ge 200 -and $status -lt 300) -or $status -eq 400 -or $status -eq 413 }

# Sends the spool, oldest first; $false at the first call Vigil did not take.
function Send-Spool {
    foreach ($file in Get-ChildItem -Path $spool -Filter '*.json' | Sort-Object LastWriteTime) {
        $call = Get-Content -Raw $file.FullName | ConvertFrom-Json
        if (-not $call) { continue }
        if (Test-Settled (Send-Call $call.key ([string]$call.occurred) @($call.argv) 10)) {
            Remove-Item $file.FullName
        } else { return $false }
    }
    return $true
}

function Start-Hidden([string]$mode) {
    Start-Process -WindowStyle Hidden -FilePath 'powershell.exe' -ArgumentList @('-NoProfile', '-ExecutionPolicy',
        'Bypass', '-File', "`"$self`"", $mode) | Out-Null
}

if ($args.Count -eq 1 -and ($args[0] -eq '-ReplaySpool' -or $args[0] -eq '-RetrySpool')) {
    $lock = Join-Path $spool $(if ($args[0] -eq '-RetrySpool') { '.retrier' } else { '.lock' })
    try { New-Item -ItemType Directory -Path $lock -ErrorAction Stop | Out-Null } catch { exit 0 }
    try {
        if ($args[0] -eq '-ReplaySpool') { Send-Spool | Out-Null }
        else {
            $wait = 2; $waited = 0
            while ((Get-ChildItem -Path $spool -Filter '*.json').Count -gt 0 -and $waited -lt 3600) {
                Start-Sleep -Seconds $wait; $waited += $wait
                if (Send-Spool) { break }
                $wait = [Math]::Min($wait * 2, 30)
            }
        }
    } finally { Remove-Item $lock -Force }
    exit 0
}

$key = '{0}-{1}-{2}' -f [DateTimeOffset]::UtcNow.ToUnixTimeSeconds(), $PID, ([guid]::NewGuid().ToString('N').Substring(0, 12))
$occurred = [string][DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
$argv = @($args | ForEach-Object { [string]$_ })
$status = Send-Call $key $occurred $argv 4
if (Test-Settled $status) {
    # Send what waited in the spool, in the background so Retrospect is not held.
    if (Test-Path $spool) { Start-Hidden '-ReplaySpool' }
} else {
    New-Item -ItemType Directory -Force -Path $spool | Out-Null
    @{ key = $key; occurred = $occurred; argv = $argv } | ConvertTo-Json -Compress |
        Set-Content -Encoding UTF8 (Join-Path $spool "$key.json")
    Start-Hidden '-RetrySpool'
}
exit 0
