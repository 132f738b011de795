"""Results out: results.json (everything), results.md (the table), tok_s.png (the plot)."""
import json
import os


def fmt_rate(r):
    return f"{r:.1f}" if isinstance(r, (int, float)) else (r or "")


def markdown(res: dict) -> str:
    bw = res["bandwidth_gb_s"]
    lines = [f"# bitnet-mlir bench ({'smoke' if res['smoke'] else 'full'}, {res['date']})", "",
             f"Machine: {res['machine']}. DRAM read bandwidth: "
             + ", ".join(f"{bw[t]:.1f} GB/s ({t} thread{'s' if t != '1' else ''})" for t in bw)
             + f". Load average at start {res['load_start']:.1f}, at end {res['load_end']:.1f}"
             " (shared machine: other engineers compile on it).", "",
             f"Decode: {res['decode_n']} tokens after a {res['prompt_n']}-token prompt; prefill: "
             f"a {res['prefill_n']}-token prompt in one call; logits of every token; median of "
             f"up to {res['repeats']} runs. Roofline: bandwidth / (weight + KV bytes read per "
             "decoded token), at the mean decode context.", "",
             "| model | params | system | kernel / format | threads | decode tok/s | "
             "prefill tok/s | MB/token | roofline tok/s | % roofline | notes |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in res["rows"]:
        if row.get("error"):
            lines.append(f"| {row['model']} | {row['params'] / 1e6:.1f}M | {row['system']} | "
                         f"{row['variant']} | {row.get('threads', '')} | n/a | n/a | | | | "
                         f"n/a: {row['error']} |")
            continue
        share = f"{100 * row['roofline_share']:.0f}%" if row.get("roofline_share") else ""
        lines.append(
            f"| {row['model']} | {row['params'] / 1e6:.1f}M | {row['system']} | {row['variant']} | "
            f"{row['threads']} | {fmt_rate(row['decode_tok_s'])} | {fmt_rate(row['prefill_tok_s'])} | "
            f"{row['bytes_per_token'] / 1e6:.1f} | {fmt_rate(row['roofline_tok_s'])} | {share} | "
            f"{row.get('notes', '')} |")
    if res.get("skipped"):
        lines += ["", "Skipped:"] + [f"- {s}" for s in res["skipped"]]
    return "\n".join(lines) + "\n"


def plot(res: dict, path: str):
    """tok/s against parameters, one line per system and variant (Fig. 1 of the BitNet
    b1.58 paper plots latency and memory against model size the same way)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
    for ax, key, title in ((axes[0], "decode_tok_s", "decode"), (axes[1], "prefill_tok_s", "prefill")):
        series = {}
        for row in res["rows"]:
            if row.get("error") or not isinstance(row.get(key), (int, float)):
                continue
            name = f"{row['system']} {row['variant']}"
            series.setdefault((name, row["threads"]), []).append((row["params"], row[key]))
        # One colour per system and variant, the line style says the thread count.
        names = sorted({name for name, _ in series})
        for (name, threads), pts in sorted(series.items()):
            pts.sort()
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "-" if threads == 1 else "--",
                    marker="o", color=f"C{names.index(name) % 10}", label=f"{name}, {threads}T")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("parameters")
        ax.set_ylabel("tokens / s")
        ax.set_title(f"{title} ({res['decode_n'] if title == 'decode' else res['prefill_n']} tokens)")
        ax.grid(True, which="both", alpha=0.3)
    axes[1].legend(fontsize=7, loc="best")
    fig.suptitle("bitnet-mlir bench: tok/s against model size (solid 1 thread, dashed 2)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_all(res: dict, out_dir: str):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write(markdown(res))
    plot(res, os.path.join(out_dir, "tok_s.png"))
    return [os.path.join(out_dir, n) for n in ("results.md", "results.json", "tok_s.png")]
