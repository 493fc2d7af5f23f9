"""Floating-point operations per output token of an encoder-decoder transformer, from its dimensions.

Counts the matrix multiplies (2 FLOPs per multiply-add) that dominate: projections, feed-forward layers,
attention scores and weighted sums, the output projection over the whole vocabulary. Layer norms,
softmax and activations are left out (a few percent). The encoder runs once per source token and the
cross-attention keys/values once per source token and layer; the decoder runs once per output token per
beam. So per output token: beam x decoder + (source tokens / output tokens) x (encoder + cross K/V).
"""

from __future__ import annotations

from typing import Any


def per_output_token(
    config: dict[str, Any], *, source_tokens: float, output_tokens: float, beam: int
) -> dict[str, float]:
    d = int(config["d_model"])
    vocab = int(config["vocab_size"])
    enc_layers, dec_layers = int(config["encoder_layers"]), int(config["decoder_layers"])
    enc_ffn, dec_ffn = int(config["encoder_ffn_dim"]), int(config["decoder_ffn_dim"])
    s, t = float(source_tokens), float(output_tokens)
    # per source token
    encoder = enc_layers * (2 * (4 * d * d + 2 * d * enc_ffn) + 2 * 2 * s * d)
    cross_kv = dec_layers * 2 * (2 * d * d)
    # per output token and beam: self-attn (q,k,v,o), cross-attn (q,o), FFN, attention over the
    # average past (t/2) and over the source, then the output projection
    decoder = dec_layers * (2 * (6 * d * d + 2 * d * dec_ffn) + 2 * 2 * (t / 2 + s) * d)
    projection = 2 * d * vocab
    per_token = beam * (decoder + projection) + (s / t) * (encoder + cross_kv)
    return {
        "encoder_per_source_token": encoder,
        "cross_kv_per_source_token": cross_kv,
        "decoder_per_output_token_per_beam": decoder,
        "output_projection_per_token_per_beam": projection,
        "total_per_output_token": per_token,
    }
