/** `GET /metrics`: the service's counters in the Prometheus text format (version 0.0.4). */
import type { ServerResponse } from 'node:http'

/** Counters the server keeps. */
export class Metrics {
  appendRequests = 0
  appendedEvents = 0
  refused = 0
  #latencySum = 0

  /** Counts one durable append request of `events` that took `seconds`. */
  appended(events: number, seconds: number): void {
    this.appendRequests++
    this.appendedEvents += events
    this.#latencySum += seconds
  }

  /** Sends the metrics, with the gauges given. */
  send(res: ServerResponse, gauges: { size: number; pending: number; subscribers: number }): void {
    const lines = [
      '# HELP liuhen_log_size Entries in the log.',
      '# TYPE liuhen_log_size gauge',
      `liuhen_log_size ${gauges.size}`,
      '# HELP liuhen_append_queue Append requests waiting for a commit.',
      '# TYPE liuhen_append_queue gauge',
      `liuhen_append_queue ${gauges.pending}`,
      '# HELP liuhen_stream_subscribers Clients following the live event stream.',
      '# TYPE liuhen_stream_subscribers gauge',
      `liuhen_stream_subscribers ${gauges.subscribers}`,
      '# HELP liuhen_appended_events_total Events appended through the service.',
      '# TYPE liuhen_appended_events_total counter',
      `liuhen_appended_events_total ${this.appendedEvents}`,
      '# HELP liuhen_append_refused_total Append requests refused because the queue was full.',
      '# TYPE liuhen_append_refused_total counter',
      `liuhen_append_refused_total ${this.refused}`,
      '# HELP liuhen_append_seconds Time from an append request to its durable answer.',
      '# TYPE liuhen_append_seconds summary',
      `liuhen_append_seconds_sum ${this.#latencySum}`,
      `liuhen_append_seconds_count ${this.appendRequests}`,
    ]
    const body = Buffer.from(`${lines.join('\n')}\n`, 'utf8')
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store' })
    res.end(body)
  }
}
