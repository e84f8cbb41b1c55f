using MedSeg.Training.Natives;
using MedSeg.Core.ContextFeatures;
using MedSeg.Training.Networks.Layers;
using MedSeg.Training.Networks.Nets.Context;
using static TorchSharp.torch;

namespace MedSeg.Training.Methods.Context;

/// <summary>
/// HEATMAP or REG2D over the three axes: each D2D-CNN of the <see cref="ContextDescriptorNet"/> backbone describes both
/// patches of its pairs, its own head (HeatNet or OffNet, as the notebook: separate weights per axis) predicts the offset,
/// and the loss is the sum of the three axes' MSE (HEATMAP) or L1 (REG2D) — equal to training them apart, since no
/// parameter is shared. Terms "loss_axis0..2". Batch extras: <see cref="ContextBatchArrays"/>.
/// </summary>
public sealed class ContextObjective : IMethodObjective
{
    private readonly ContextTask _task;
    private readonly ContextHeads _heads;

    public ContextObjective(ContextTask task)
    {
        _task = task;
        _heads = NotebookInit.Apply(new ContextHeads(task));
    }

    public nn.Module? Heads => _heads;

    public LossTerms Compute(nn.Module<Tensor, Tensor> backbone, BatchTensors batch)
    {
        if (backbone is not ContextDescriptorNet net)
            throw new ArgumentException($"The context objective needs a {nameof(ContextDescriptorNet)} backbone, got {backbone.GetType().Name}.");
        var patches1 = batch.Extra(ContextBatchArrays.Patches1);
        var patches2 = batch.Extra(ContextBatchArrays.Patches2);
        var terms = new Dictionary<string, Tensor>();
        Tensor? total = null;
        for (int axis = 0; axis < ContextPairBatch.Axes; axis++)
        {
            var encoder = net.Axis(axis);
            var f1 = encoder.call(patches1[axis]);
            var f2 = encoder.call(patches2[axis]);
            var head = _heads.Head(axis);
            Tensor loss;
            if (_task == ContextTask.Heatmap)
            {
                var offsets = batch.Extra(ContextBatchArrays.HeatOffsets)[axis];                 // [B, 2] (rows, columns)
                var target = HeatmapTarget.Create(offsets[TensorIndex.Colon, 0], offsets[TensorIndex.Colon, 1]);
                loss = nn.functional.mse_loss(head.call(f1, f2), target);
            }
            else
            {
                var target = batch.Extra(ContextBatchArrays.RegTargets)[axis];                  // [B, 2]
                loss = nn.functional.l1_loss(head.call(f1, f2).view(-1, 2), target);
            }
            terms[$"loss_axis{axis}"] = loss;
            total = total is null ? loss : total.Plus(loss);
        }
        return new LossTerms(total!, terms);
    }

    public void Dispose() => _heads.Dispose();

    /// <summary>One head per axis: <c>axis0</c>..<c>axis2</c> (HeatNet or OffNet).</summary>
    private sealed class ContextHeads : CompositeModule
    {
        private readonly nn.Module<Tensor, Tensor, Tensor> axis0, axis1, axis2;

        public ContextHeads(ContextTask task) : base(nameof(ContextHeads))
        {
            axis0 = Create(task);
            axis1 = Create(task);
            axis2 = Create(task);
            RegisterComponents();
        }

        private static nn.Module<Tensor, Tensor, Tensor> Create(ContextTask task) =>
            task == ContextTask.Heatmap ? new HeatNet() : new OffNet();

        public nn.Module<Tensor, Tensor, Tensor> Head(int axis) => axis switch { 0 => axis0, 1 => axis1, _ => axis2 };

        public override Tensor forward(Tensor input) => throw new NotSupportedException("The heads are called per axis.");
    }
}
