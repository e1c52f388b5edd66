import type { Chart, Plugin, Scale } from 'chart.js';
import { themeColor } from './chart';

/** A vertical line across a chart at `x`, labelled at its top. */
export interface VerticalMark {
  x: number;
  label: string;
}

/**
 * Draws the marks `marksOf` gives for a chart as dashed vertical lines over its data, each labelled; marks outside
 * the x axis's range are left out, except past its end, which it is stretched to reach. The marks are read at every draw, so a chart shows new ones once it redraws.
 */
export function verticalMarks(marksOf: () => VerticalMark[]): Plugin<'line'> {
  return {
    id: 'verticalMarks',
    // The x axis reaches the last mark: a rollback's step lies past the curve that was undone.
    afterDataLimits(_chart: Chart<'line'>, { scale }: { scale: Scale }) {
      if (scale.id !== 'x') return;
      for (const mark of marksOf()) if (mark.x > scale.max) scale.max = mark.x;
    },
    afterDatasetsDraw(chart: Chart<'line'>) {
      const marks = marksOf();
      const x = chart.scales['x'];
      if (marks.length === 0 || !x) return;
      const { ctx, chartArea: area } = chart;
      const color = themeColor('--danger');
      ctx.save();
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      ctx.font = '11px system-ui, sans-serif';
      // Where each row of labels ends: a label goes in the first row it does not overprint.
      const rowEnds: number[] = [];
      for (const mark of marks) {
        const px = x.getPixelForValue(mark.x);
        if (!(px >= area.left && px <= area.right)) continue;
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        const width = ctx.measureText(mark.label).width;
        const left = Math.max(area.left, Math.min(px + 3, area.right - width));
        let row = rowEnds.findIndex((end) => end < left);
        if (row < 0) row = rowEnds.push(0) - 1;
        rowEnds[row] = left + width + 4;
        ctx.fillText(mark.label, left, area.top + 11 + row * 13);
      }
      ctx.restore();
    },
  };
}
