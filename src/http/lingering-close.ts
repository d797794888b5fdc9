import type { Socket } from 'node:net';

/**
 * How long a connection answered before its body arrived keeps reading (and dropping) what the
 * client still sends before it is destroyed. Long enough for a client busy writing to read the
 * answer; short enough that a 50 MB upload is not read to refuse it.
 */
export const LINGER_MS = 2000;

/**
 * A lingering close, as nginx does it. Node ends a `connection: close` answer with
 * `socket.destroySoon()`: the connection is destroyed as soon as the answer is written, and
 * whatever the client is still sending then meets a closed socket, whose reset can reach the
 * client before the answer it has not read yet (it sees EPIPE, not the 413 or 401). Here that
 * socket's end is half a close: the answer and FIN go out, the rest of the body is still read
 * (Node's parser drops it), and the socket is destroyed when the client ends its side, or after
 * LINGER_MS. While it lingers the socket writes nothing more (no stray 408).
 */
export function lingerOnClose(socket: Socket, lingerMs: number = LINGER_MS): void {
  const destroySoon = socket.destroySoon;
  if (typeof destroySoon !== 'function' || socket.destroyed) return;
  socket.destroySoon = function lingeringClose(this: Socket) {
    socket.destroySoon = destroySoon;
    if (socket.destroyed) return;
    const timer = setTimeout(() => socket.destroy(), lingerMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    // The client read the answer and closed its side: nothing more to wait for.
    socket.once('end', () => socket.destroy());
    socket.end();
  };
}
