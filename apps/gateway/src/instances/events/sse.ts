import { Request, Response } from 'express';
import { EventSink, StreamedEvent } from './stream-instance-events.usecase';

const HEARTBEAT_MS = 15_000;

/** Every stream this process serves, so that a shutdown can end them (an open stream would hold the HTTP server open). */
const openStreams = new Set<EventSink>();

/** Ends every open stream (the clients reconnect, to another gateway, with Last-Event-ID). */
export function endAllStreams(): number {
  const n = openStreams.size;
  for (const sink of [...openStreams]) sink.end();
  return n;
}

/**
 * An express response as a Server-Sent Events stream: its headers, one frame per event, a comment
 * every 15 s so proxies keep it open, and `onClose` once the client goes or the stream ends.
 */
export function sseSink(req: Request, res: Response, onClose: () => void): EventSink {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.write('retry: 2000\n\n');
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  let open = true;
  const finish = () => {
    if (!open) return;
    open = false;
    openStreams.delete(sink);
    clearInterval(heartbeat);
    onClose();
  };
  const sink: EventSink = {
    send(event: StreamedEvent) {
      if (!open) return;
      res.write(frame(event));
    },
    end() {
      if (!open) return;
      finish();
      res.end();
    },
  };
  openStreams.add(sink);
  req.on('close', () => {
    openStreams.delete(sink);
    finish();
  });
  return sink;
}

function frame(event: StreamedEvent): string {
  // JSON has no raw newline: one data line per event
  return `${event.id !== undefined ? `id: ${event.id}\n` : ''}event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
