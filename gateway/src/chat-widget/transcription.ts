/**
 * The seam for the 001 `audio` message: speech to text. None exists yet, so `/ws` answers an
 * audio frame with the error `audio_not_supported` instead of inventing a transcription.
 */

export interface AudioClip {
  /** The audio, base64 as the widget sent it. */
  base64: string;
  /** The container the widget named, e.g. `mp3`, `webm`; undefined when it did not. */
  format: string | undefined;
}

/**
 * Turns a visitor's audio into text. With one configured, `/ws` sends the 001 `transcription`
 * frame and then treats the text like a typed `text` message.
 */
export interface Transcriber {
  transcribe(clip: AudioClip): Promise<string>;
}
