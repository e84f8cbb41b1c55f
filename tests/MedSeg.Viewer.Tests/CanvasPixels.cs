namespace MedSeg.Viewer.Tests;

/// <summary>JS snippets that count a view's canvas pixels (the page has one viewer; its cells are [data-viewport=plane]).</summary>
public static class CanvasPixels
{
    // RGBA bytes of the canvas matched by a selector (copied through a 2D canvas: WebGL canvases cannot be read directly).
    private const string ReadJs = @"(selector) => {
        const canvas = document.querySelector(selector);
        const copy = document.createElement('canvas');
        copy.width = canvas.width; copy.height = canvas.height;
        const ctx = copy.getContext('2d');
        ctx.drawImage(canvas, 0, 0);
        return ctx.getImageData(0, 0, copy.width, copy.height).data;
    }";

    /// <summary>(plane) => { lit, total }: pixels of a plane's canvas brighter than near-black, and all pixels.</summary>
    public const string LitJs = "(plane) => { const data = (" + ReadJs + @")(`[data-viewport=${plane}] canvas`);
        let lit = 0;
        for (let i = 0; i < data.length; i += 4) if (Math.max(data[i], data[i + 1], data[i + 2]) > 16) lit++;
        return { lit, total: data.length / 4 };
    }";

    /// <summary>() => count of axial pixels whose RGB channels differ by more than 60: the images are grey, so these are label colour.</summary>
    public const string ColouredJs = "() => { const data = (" + ReadJs + @")('[data-viewport=axial] canvas');
        let coloured = 0;
        for (let i = 0; i < data.length; i += 4)
            if (Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60) coloured++;
        return coloured;
    }";
}
