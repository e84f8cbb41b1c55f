using Xunit.Abstractions;
using Xunit.Sdk;

namespace MedSeg.Web.E2E.Harness;

/// <summary>Marks a test as step N of a user journey; <see cref="StepOrderer"/> runs them by N.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StepAttribute(int number) : Attribute
{
    public int Number { get; } = number;
}

/// <summary>Orders a class's tests by their <see cref="StepAttribute"/> (unmarked tests last, by name).</summary>
public sealed class StepOrderer : ITestCaseOrderer
{
    public const string TypeName = "MedSeg.Web.E2E.Harness.StepOrderer";
    public const string AssemblyName = "MedSeg.Web.E2E";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => StepOf(t)).ThenBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal);

    private static int StepOf(ITestCase testCase) =>
        testCase.TestMethod.Method.GetCustomAttributes(typeof(StepAttribute).AssemblyQualifiedName!)
            .Select(a => (int)a.GetConstructorArguments().First())
            .DefaultIfEmpty(int.MaxValue).First();
}
